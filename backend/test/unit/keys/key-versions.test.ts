// Secrets scellés, jetons d'accès, jetons anti-CSRF et curseurs avec plusieurs versions de clés : la clé courante
// produit, toutes les clés du trousseau ouvrent ou vérifient, une clé retirée ne vérifie plus rien.
import { createCipheriv, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKey, Keyring, type KeyEntry, type KeyKind, type KeySet } from '../../../src/keys/keyring.js';
import { SecretBox } from '../../../src/keys/secret-box.js';
import { CursorCodec } from '../../../src/engine/query/cursor.js';
import { TokenSigner } from '../../../src/iam/tokens.js';

/** Trousseau qu'on remplace en cours de test (comme PlatformKeys à la relecture des sources). */
class MutableKeys implements KeySet {
  constructor(public ring: Keyring) {}
  current(kind: KeyKind) { return this.ring.current(kind); }
  find(kind: KeyKind, id: string) { return this.ring.find(kind, id); }
  all(kind: KeyKind) { return this.ring.all(kind); }
}

const ring = (kind: KeyKind, ...keys: KeyEntry[]) => new Keyring({ [kind]: keys });

/** Format v1 (avant les clés versionnées), tel que l'écrivait l'ancienne boîte. */
function sealV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

describe('SecretBox with several keys', () => {
  const [older, newer] = [generateKey('encryption', 'file'), generateKey('encryption', 'file')];

  it('seals with the current key, named in the value, and opens values of older keys of the ring', () => {
    const before = new SecretBox(ring('encryption', older)).seal('s3cret');
    expect(SecretBox.keyIdOf(before)).toBe(older.id);
    const box = new SecretBox(ring('encryption', newer, older));
    const after = box.seal('s3cret');
    expect(after.startsWith(`v2.${newer.id}.`)).toBe(true);
    expect(box.openWith(before)).toEqual({ plain: 's3cret', keyId: older.id });
    expect(box.openWith(after)).toEqual({ plain: 's3cret', keyId: newer.id });
    expect(() => new SecretBox(ring('encryption', newer)).open(before)).toThrow(`secret sealed with the unknown or retired key ${older.id}`);
  });

  it('opens values of the v1 format with whichever key of the ring sealed them', () => {
    const legacy = sealV1(older.key, 'legacy');
    expect(SecretBox.keyIdOf(legacy)).toBeNull();
    expect(new SecretBox(ring('encryption', newer, older)).openWith(legacy)).toEqual({ plain: 'legacy', keyId: older.id });
    expect(() => new SecretBox(ring('encryption', newer)).open(legacy)).toThrow(/none of the keys/);
  });

  it('refuses a value whose key id was swapped, or whose tag was truncated', () => {
    const box = new SecretBox(ring('encryption', newer, older));
    const parts = new SecretBox(ring('encryption', older)).seal('x').split('.');
    // même chiffré annoncé sous l'autre clé : le préfixe est authentifié
    expect(() => box.open(['v2', newer.id, ...parts.slice(2)].join('.'))).toThrow();
    // étiquette de 12 octets (16 caractères) : une taille que GCM accepterait sans contrôle de longueur
    const truncated = [...parts.slice(0, 3), parts[3]!.slice(0, 16), parts[4]].join('.');
    expect(() => box.open(truncated)).toThrow();
    expect(SecretBox.keyIdOf('plain text')).toBeUndefined();
  });
});

describe('access tokens and CSRF tokens with several keys', () => {
  const [older, newer] = [generateKey('jwt', 'file'), generateKey('jwt', 'file')];
  const claims = { userId: '0190a0b0-0000-7000-8000-000000000001', tenantId: '0190a0b0-0000-7000-8000-000000000002', superAdmin: false, sessionId: 's1' };

  it('signs with the current key (kid), verifies tokens of older keys until they are retired', async () => {
    const keys = new MutableKeys(ring('jwt', older));
    const signer = new TokenSigner(keys);
    const oldToken = await signer.signAccess(claims, 600);
    const oldCsrf = signer.csrfFor('s1');
    keys.ring = ring('jwt', newer, older);
    const newToken = await signer.signAccess(claims, 600);
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()).kid).toBe(newer.id);
    expect(await signer.verifyAccess(oldToken)).toMatchObject({ userId: claims.userId, tenantId: claims.tenantId });
    expect(await signer.verifyAccess(newToken)).toMatchObject({ userId: claims.userId });
    expect(signer.csrfMatches('s1', oldCsrf)).toBe(true);
    expect(signer.csrfMatches('s1', signer.csrfFor('s1'))).toBe(true);
    expect(signer.csrfFor('s1')).not.toBe(oldCsrf);
    expect(signer.csrfMatches('s2', oldCsrf)).toBe(false);
    // ancienne clé retirée : le jeton déjà vérifié (en cache) est refusé lui aussi
    keys.ring = ring('jwt', newer);
    expect(await signer.verifyAccess(oldToken)).toBeNull();
    expect(signer.csrfMatches('s1', oldCsrf)).toBe(false);
    expect(await signer.verifyAccess(newToken)).toMatchObject({ userId: claims.userId });
  });

  it('verifies a token without kid (issued before versioned keys) with any key of the ring', async () => {
    const legacy = await new SignJWT({ tid: claims.tenantId }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(claims.userId)
      .setIssuedAt().setIssuer('opsflux').setAudience('opsflux-api').setExpirationTime('600s').sign(older.key);
    expect(await new TokenSigner(ring('jwt', newer, older)).verifyAccess(legacy)).toMatchObject({ userId: claims.userId });
    expect(await new TokenSigner(ring('jwt', newer)).verifyAccess(legacy)).toBeNull();
  });

  it('refuses a token whose kid names another key of the ring', async () => {
    const forged = await new SignJWT({ tid: claims.tenantId }).setProtectedHeader({ alg: 'HS256', kid: newer.id }).setSubject(claims.userId)
      .setIssuer('opsflux').setAudience('opsflux-api').setExpirationTime('600s').sign(older.key);
    expect(await new TokenSigner(ring('jwt', newer, older)).verifyAccess(forged)).toBeNull();
  });
});

describe('cursors with several keys', () => {
  it('decodes cursors signed by an older key of the ring, not once it is retired', () => {
    const [older, newer] = [generateKey('cursor', 'file'), generateKey('cursor', 'file')];
    const cursor = new CursorCodec(ring('cursor', older)).encode({ s: 'id', v: ['x'] });
    expect(new CursorCodec(ring('cursor', newer, older)).decode(cursor, 'id')).toEqual({ s: 'id', v: ['x'] });
    expect(new CursorCodec(ring('cursor', newer)).decode(cursor, 'id')).toBeNull();
    const fresh = new CursorCodec(ring('cursor', newer, older)).encode({ s: 'id', v: ['y'] });
    expect(new CursorCodec(ring('cursor', newer)).decode(fresh, 'id')).toEqual({ s: 'id', v: ['y'] });
  });
});
