import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envKeys } from '../../../src/keys/env-keys.js';
import { readKeyFile, writeKeyFile } from '../../../src/keys/key-file.js';
import { generateKey, keyEntry, keyId, Keyring } from '../../../src/keys/keyring.js';
import { composeRing, keySources } from '../../../src/keys/sources.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opsflux-keys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('keyring', () => {
  it('keeps the first key of each kind current, finds older ones by id and drops duplicates', () => {
    const [a, b] = [generateKey('jwt', 'file'), generateKey('jwt', 'file')];
    const ring = new Keyring({ jwt: [b, a, b] });
    expect(ring.current('jwt').id).toBe(b.id);
    expect(ring.all('jwt').map((k) => k.id)).toEqual([b.id, a.id]);
    expect(ring.find('jwt', a.id)?.key.equals(a.key)).toBe(true);
    expect(ring.find('jwt', 'unknown')).toBeUndefined();
    expect(() => ring.current('cursor')).toThrow(/no cursor key/);
  });

  it('derives a stable id per kind and key', () => {
    const key = Buffer.alloc(32, 1);
    expect(keyId('jwt', key)).toBe(keyId('jwt', Buffer.alloc(32, 1)));
    expect(keyId('jwt', key)).not.toBe(keyId('cursor', key));
    expect(keyId('jwt', key)).not.toBe(keyId('jwt', Buffer.alloc(32, 2)));
    expect(keyId('jwt', key)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => keyEntry('encryption', Buffer.alloc(31), 'file')).toThrow(/exactly 32 bytes/);
    expect(() => keyEntry('jwt', Buffer.alloc(31), 'file')).toThrow(/at least 32 bytes/);
    expect(keyEntry('jwt', Buffer.alloc(32), 'file').key).toHaveLength(32);
  });

  it('composes the ring from the environment, then the key file, then the database', () => {
    const [env, file, db] = [generateKey('cursor', 'env'), generateKey('cursor', 'file'), generateKey('cursor', 'database')];
    const ring = composeRing({ env: { encryption: [], jwt: [], cursor: [env] }, file: { cursor: [file] }, database: { encryption: [], jwt: [], cursor: [db] } });
    expect(ring.all('cursor').map((k) => k.origin)).toEqual(['env', 'file', 'database']);
    const withoutEnv = composeRing({ env: { encryption: [], jwt: [], cursor: [] }, file: { cursor: [file] } });
    expect(withoutEnv.current('cursor').id).toBe(file.id);
  });
});

describe('keys from the environment', () => {
  it('refuses an OPSFLUX_JWT_SECRET shorter than 32 bytes, naming the variable', () => {
    expect(() => envKeys('jwt', { OPSFLUX_JWT_SECRET: 'x'.repeat(31) })).toThrow(/^OPSFLUX_JWT_SECRET must hold at least 32 bytes \(got 31\)/);
    expect(() => envKeys('jwt', { OPSFLUX_JWT_SECRET: 'x'.repeat(40), OPSFLUX_JWT_SECRET_PREVIOUS: 'short' })).toThrow(/^OPSFLUX_JWT_SECRET_PREVIOUS must hold at least 32 bytes/);
    expect(envKeys('jwt', { OPSFLUX_JWT_SECRET: 'x'.repeat(32) })).toHaveLength(1);
  });

  it('reads the encryption key in hex or base64 and the previous key after the current one', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 9).toString('base64');
    const keys = envKeys('encryption', { OPSFLUX_ENCRYPTION_KEY: hex, OPSFLUX_ENCRYPTION_KEY_PREVIOUS: base64 });
    expect(keys.map((k) => k.key)).toEqual([Buffer.from(hex, 'hex'), Buffer.alloc(32, 9)]);
    expect(keys.map((k) => k.origin)).toEqual(['env', 'env']);
    expect(() => envKeys('encryption', { OPSFLUX_ENCRYPTION_KEY: 'too-short' })).toThrow(/^OPSFLUX_ENCRYPTION_KEY must hold exactly 32 bytes/);
    expect(() => envKeys('encryption', { OPSFLUX_ENCRYPTION_KEY_PREVIOUS: base64 })).toThrow(/set without OPSFLUX_ENCRYPTION_KEY/);
    expect(envKeys('cursor', {})).toEqual([]);
  });
});

describe('key file', () => {
  it('is written with mode 0600 and read back with the same keys and ids', async () => {
    const path = join(dir, 'keys.json');
    const keys = { encryption: [generateKey('encryption', 'file'), generateKey('encryption', 'file')], jwt: [generateKey('jwt', 'file')] };
    expect(writeKeyFile(path, keys)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const read = readKeyFile(path)!;
    expect(read.encryption!.map((k) => [k.id, k.key.toString('hex')])).toEqual(keys.encryption.map((k) => [k.id, k.key.toString('hex')]));
    expect(read.jwt![0]!.origin).toBe('file');
    expect(read.cursor).toBeUndefined();
  });

  it('is created only once when several nodes create it at the same time', () => {
    const path = join(dir, 'exclusive.json');
    const first = { cursor: [generateKey('cursor', 'file')] };
    expect(writeKeyFile(path, first, { exclusive: true })).toBe(true);
    expect(writeKeyFile(path, { cursor: [generateKey('cursor', 'file')] }, { exclusive: true })).toBe(false);
    expect(readKeyFile(path)!.cursor![0]!.id).toBe(first.cursor[0]!.id);
  });

  it('refuses an id that does not match its key, a bad key and an unknown kind', async () => {
    const path = join(dir, 'bad.json');
    const key = Buffer.alloc(32, 3).toString('base64');
    await writeFile(path, JSON.stringify({ version: 1, keys: { encryption: [{ id: '0000000000000000', key }] } }));
    expect(() => readKeyFile(path)).toThrow(/does not match the key/);
    await writeFile(path, JSON.stringify({ version: 1, keys: { jwt: [{ key: Buffer.alloc(8).toString('base64') }] } }));
    expect(() => readKeyFile(path)).toThrow(/jwt key #1: the jwt key must hold at least 32 bytes/);
    await writeFile(path, JSON.stringify({ version: 1, keys: { signing: [] } }));
    expect(() => readKeyFile(path)).toThrow(/unknown key kind "signing"/);
    expect(readKeyFile(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('must live outside the data directory', () => {
    expect(() => keySources({ env: { OPSFLUX_KEY_FILE: join(dir, 'data', 'keys.json') }, dataDir: join(dir, 'data') })).toThrow(/inside the data directory/);
    expect(keySources({ env: { OPSFLUX_KEY_FILE: join(dir, 'keys.json') }, dataDir: join(dir, 'data') }).file).toBe(join(dir, 'keys.json'));
  });

  it('or the key variables are required in production, or with OPSFLUX_REQUIRE_EXTERNAL_KEYS=1', () => {
    const file = join(dir, 'keys.json');
    expect(() => keySources({ env: { NODE_ENV: 'production' } })).toThrow(/^no key source outside the database for encryption, jwt, cursor/);
    expect(() => keySources({ env: { OPSFLUX_REQUIRE_EXTERNAL_KEYS: '1' } })).toThrow(/^no key source outside the database/);
    expect(keySources({ env: { NODE_ENV: 'production', OPSFLUX_KEY_FILE: file } })).toMatchObject({ requireExternal: true, file });
    expect(keySources({ env: { NODE_ENV: 'development' } }).requireExternal).toBe(false);
    expect(keySources({ env: { NODE_ENV: 'production' }, requireExternal: false }).requireExternal).toBe(false);
  });
});
