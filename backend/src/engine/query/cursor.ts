// Curseurs de pagination opaques et signés (HMAC) : un curseur forgé ou altéré est refusé.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CursorPayload {
  /** signature du tri pour lequel le curseur a été émis */
  s: string;
  /** valeurs des clés de tri de la dernière ligne, puis son id */
  v: unknown[];
}

export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  encode(payload: CursorPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** null si le curseur est illisible, altéré ou émis pour un autre tri. */
  decode(cursor: string, sortSignature: string): CursorPayload | null {
    if (cursor.length > 4096) return null;
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
      if (payload.s !== sortSignature || !Array.isArray(payload.v)) return null;
      return payload;
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 32);
  }
}
