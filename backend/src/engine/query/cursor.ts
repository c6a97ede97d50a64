// Curseurs de pagination opaques et signés (HMAC) : un curseur forgé ou altéré est refusé. Signés avec la clé `cursor`
// courante du trousseau (keys/), vérifiés avec chacune de ses clés : un curseur émis avant un changement de clé
// reste utilisable tant que l'ancienne clé n'est pas retirée.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeySet } from '../../keys/keyring.js';

export interface CursorPayload {
  /** signature du tri pour lequel le curseur a été émis */
  s: string;
  /** valeurs des clés de tri de la dernière ligne, puis son id */
  v: unknown[];
}

export class CursorCodec {
  constructor(private readonly keys: KeySet) {}

  encode(payload: CursorPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${sign(this.keys.current('cursor').key, body)}`;
  }

  /** null si le curseur est illisible, altéré ou émis pour un autre tri. */
  decode(cursor: string, sortSignature: string): CursorPayload | null {
    if (cursor.length > 4096) return null;
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) return null;
    const given = Buffer.from(signature);
    const signed = this.keys.all('cursor').some((entry) => {
      const expected = Buffer.from(sign(entry.key, body));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!signed) return null;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
      if (payload.s !== sortSignature || !Array.isArray(payload.v)) return null;
      return payload;
    } catch {
      return null;
    }
  }
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 32);
}
