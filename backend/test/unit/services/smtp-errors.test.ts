// Classement des échecs d'envoi : seuls les refus qui ne changeront pas avec le temps arrêtent les tentatives.
import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../../src/services/email/smtp-errors.js';
import { OutboundRefusedError } from '../../../src/services/outbound/policy.js';

describe('classifySendError', () => {
  it('stops at a 5xx answer of the SMTP server and keeps its text', () => {
    const failure = classifySendError(Object.assign(new Error('x'), { responseCode: 550, response: '550 5.1.1 No such user', code: 'EENVELOPE' }));
    expect(failure).toEqual({ permanent: true, message: 'EENVELOPE: 550 5.1.1 No such user' });
  });

  it('retries a 4xx answer, a refused connection and a timeout', () => {
    expect(classifySendError(Object.assign(new Error('x'), { responseCode: 421, response: '421 Try later' })).permanent).toBe(false);
    expect(classifySendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNREFUSED' })).permanent).toBe(false);
    expect(classifySendError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' })).permanent).toBe(false);
  });

  it('stops when the outbound policy refuses the server: retrying cannot change the verdict', () => {
    const refused = new OutboundRefusedError({ host: 'mail.internal', address: '10.0.0.5', reason: 'private' }, 'smtp');
    expect(classifySendError(refused)).toMatchObject({ permanent: true, message: expect.stringContaining('mail.internal (10.0.0.5)') });
  });
});
