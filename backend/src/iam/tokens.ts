// Jetons : accès JWT (HS256, courte durée) et rafraîchissement opaque à rotation avec détection de réutilisation.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  superAdmin: boolean;
  /** session (famille de jetons de rafraîchissement) dont le jeton est issu */
  sessionId?: string;
}

const VERIFIED_CACHE_SIZE = 10_000;

export class TokenSigner {
  /** jetons déjà vérifiés (signature HMAC) → revendications et expiration : évite de revérifier à chaque requête */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAt: number }>();

  constructor(private readonly key: Uint8Array) {}

  /** Jeton d'accès valable `ttlSeconds` (durée réglée par tenant : security.session.accessMinutes). */
  async signAccess(claims: AccessClaims, ttlSeconds: number): Promise<string> {
    return new SignJWT({ tid: claims.tenantId, sa: claims.superAdmin || undefined, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuedAt()
      .setIssuer('opsflux')
      .setAudience('opsflux-api')
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }

  /** Jeton anti-CSRF d'une session navigateur : HMAC de la session, sans état côté serveur. */
  csrfFor(sessionId: string): string {
    return createHmac('sha256', this.key).update(`csrf:${sessionId}`).digest('base64url');
  }

  /** null si le jeton est invalide, expiré ou altéré. */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt > Date.now()) return cached.claims;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: 'opsflux', audience: 'opsflux-api' });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.exp !== 'number') return null;
      const claims = { userId: payload.sub, tenantId: payload.tid, superAdmin: payload.sa === true, sessionId: typeof payload.sid === 'string' ? payload.sid : undefined };
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { claims, expiresAt: payload.exp * 1000 });
      return claims;
    } catch {
      return null;
    }
  }
}

/** Jeton de rafraîchissement : `<tenantId>.<tokenId>.<secret>` ; seule l'empreinte du secret est stockée. */
export interface RefreshParts {
  tenantId: string;
  tokenId: string;
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newRefreshSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatRefresh(parts: RefreshParts): string {
  return `${parts.tenantId}.${parts.tokenId}.${parts.secret}`;
}

export function parseRefresh(token: unknown): RefreshParts | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [tenantId, tokenId, secret, extra] = token.split('.');
  if (!tenantId || !tokenId || !secret || extra !== undefined || !UUID.test(tenantId) || !UUID.test(tokenId)) return null;
  return { tenantId, tokenId, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
