import { describe, expect, it } from 'vitest';
import { MemoryMailer } from '../../../src/services/email/transport/memory.js';
import { smtpConfigFromEnv } from '../../../src/services/email/transport/smtp.js';

describe('mail', () => {
  it('keeps messages in memory with ids, logs them, and bounds the list', async () => {
    const lines: string[] = [];
    const mailer = new MemoryMailer((line) => lines.push(line), 2);
    const ids = [];
    for (const to of ['a@x.test', 'b@x.test', 'c@x.test']) ids.push((await mailer.send({ to, subject: `Hi ${to}`, text: 'body' })).messageId);
    expect(new Set(ids).size).toBe(3);
    expect(mailer.sent.map((m) => m.to)).toEqual(['b@x.test', 'c@x.test']);
    expect(lines).toEqual(['mail to a@x.test: Hi a@x.test', 'mail to b@x.test: Hi b@x.test', 'mail to c@x.test: Hi c@x.test']);
  });

  it('reads the SMTP settings from the environment', () => {
    expect(smtpConfigFromEnv({})).toBeUndefined();
    expect(smtpConfigFromEnv({ SMTP_HOST: 'mail.test', SMTP_PORT: '465', SMTP_SECURE: 'true', SMTP_USER: 'u', SMTP_PASSWORD: 'p', SMTP_FROM: 'X <x@test>' }))
      .toEqual({ host: 'mail.test', port: 465, secure: true, user: 'u', password: 'p', from: 'X <x@test>' });
    expect(smtpConfigFromEnv({ SMTP_HOST: 'mail.test' })).toMatchObject({ port: 587, secure: false });
  });
});
