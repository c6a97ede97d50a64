import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/keys/secret-box.js';

describe('SecretBox', () => {
  it('refuses a tampered message and a wrong key', () => {
    const box = SecretBox.fromKey(Buffer.alloc(32, 7));
    const sealed = box.seal('hello');
    expect(box.open(sealed)).toBe('hello');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('HELLO').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => SecretBox.fromKey(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });
});
