// Jetons : accès JWT (HS256, courte durée) et rafraîchissement opaque à rotation avec détection de réutilisation.
// Les clés `jwt` du trousseau (keys/) : la courante signe (son id dans l'en-tête `kid`), toutes vérifient — changer
// de clé ne déconnecte personne, les jetons déjà émis restent valables jusqu'à leur expiration.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import type { KeyEntry, KeySet } from '../keys/keyring.js';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  superAdmin: boolean;
  /** session (famille de jetons de rafraîchissement) dont le jeton est issu */
  sessionId?: string;
}

// jetons d'accès vérifiés gardés : borne mémoire du cache, sans effet sur les droits
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenSigner {
  /** jetons déjà vérifiés (signature HMAC) → revendications, expiration et clé : évite de revérifier à chaque requête */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAt: number; keyId: string }>();

  constructor(private readonly keys: KeySet) {}

  /** Jeton d'accès valable `ttlSeconds` (durée réglée par tenant : security.session.accessMinutes). */
  async signAccess(claims: AccessClaims, ttlSeconds: number): Promise<string> {
    const { id, key } = this.keys.current('jwt');
    return new SignJWT({ tid: claims.tenantId, sa: claims.superAdmin || undefined, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: id })
      .setSubject(claims.userId)
      .setIssuedAt()
      .setIssuer('opsflux')
      .setAudience('opsflux-api')
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
  }

  /** Jeton anti-CSRF d'une session navigateur : HMAC de la session (clé courante), sans état côté serveur. */
  csrfFor(sessionId: string): string {
    return csrfWith(this.keys.current('jwt').key, sessionId);
  }

  /** Le jeton anti-CSRF donné est celui de la session, sous l'une des clés du trousseau. */
  csrfMatches(sessionId: string, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const token = Buffer.from(given);
    return this.keys.all('jwt').some((entry) => {
      const expected = Buffer.from(csrfWith(entry.key, sessionId));
      return expected.length === token.length && timingSafeEqual(expected, token);
    });
  }

  /** null si le jeton est invalide, expiré, altéré ou signé d'une clé retirée. */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt > Date.now() && this.keys.find('jwt', cached.keyId)) return cached.claims;
      this.verified.delete(token);
    }
    for (const entry of this.candidates(token)) {
      try {
        const { payload } = await jwtVerify(token, entry.key, { algorithms: ['HS256'], issuer: 'opsflux', audience: 'opsflux-api' });
        if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.exp !== 'number') return null;
        const claims = { userId: payload.sub, tenantId: payload.tid, superAdmin: payload.sa === true, sessionId: typeof payload.sid === 'string' ? payload.sid : undefined };
        if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
        this.verified.set(token, { claims, expiresAt: payload.exp * 1000, keyId: entry.id });
        return claims;
      } catch {
        // clé suivante (jeton sans `kid`), sinon refus
      }
    }
    return null;
  }

  /** Clé désignée par `kid` ; sans `kid` (jetons émis avant les clés versionnées), chaque clé du trousseau. */
  private candidates(token: string): readonly KeyEntry[] {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return [];
    }
    if (kid === undefined) return this.keys.all('jwt');
    const entry = typeof kid === 'string' ? this.keys.find('jwt', kid) : undefined;
    return entry ? [entry] : [];
  }
}

function csrfWith(key: Uint8Array, sessionId: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionId}`).digest('base64url');
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
