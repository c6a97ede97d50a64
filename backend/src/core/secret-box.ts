// Chiffrement des secrets stockés (AES-256-GCM) : clé de OPSFLUX_ENCRYPTION_KEY (32 octets en base64 ou hex),
// sinon clé générée une fois et gardée en base (à remplacer en production par une clé hors de la base).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
    return new SecretBox(key);
  }

  /** Clé de l'environnement (base64 ou hex) ; undefined si absente ; erreur si mal formée. */
  static keyFromEnv(value: string | undefined): Buffer | undefined {
    if (!value) return undefined;
    const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) throw new Error('OPSFLUX_ENCRYPTION_KEY must hold 32 bytes (64 hex characters or base64)');
    return key;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Texte clair ; erreur si le message a été altéré ou chiffré avec une autre clé. */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
