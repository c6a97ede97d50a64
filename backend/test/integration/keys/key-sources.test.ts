// Démarrage et sources des clés : en production (NODE_ENV=production), aucune clé ne vient de la base — sans fichier
// de clés ni variables, ou avec des clés encore dans la base, le démarrage s'arrête avec un message qui dit quoi faire ;
// avec un fichier de clés, il démarre. Un OPSFLUX_JWT_SECRET trop court est refusé.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform, type PlatformOptions } from '../../../src/core/platform.js';
import { ownDatabase, type OwnDatabase } from '../../support/own-database.js';

let database: OwnDatabase;
let dir: string;
const opened: Platform[] = [];

beforeEach(async () => {
  database = await ownDatabase();
  dir = await mkdtemp(join(tmpdir(), 'opsflux-key-sources-'));
});
afterEach(async () => {
  for (const platform of opened.splice(0)) await platform.close();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Plateforme sur la base du test, clés lues dans `env` seulement (jamais dans celui du processus de test). */
async function open(env: NodeJS.ProcessEnv, options: Partial<PlatformOptions> = {}): Promise<Platform> {
  const platform = await Platform.open({ url: database.url, dispatch: false, ...options, keys: { env } });
  opened.push(platform);
  return platform;
}

/** Base embarquée sur disque (une base en mémoire ne se rouvre pas) ; sur le serveur, la base du test. */
const reopenable = (): Partial<PlatformOptions> => (database.url ? {} : { dataDir: join(dir, 'data') });

async function close(platform: Platform): Promise<void> {
  opened.splice(opened.indexOf(platform), 1);
  await platform.close();
}

describe('key sources at start', { timeout: 120_000 }, () => {
  it('refuses to start in production without a key source outside the database, saying what to set', async () => {
    await expect(open({ NODE_ENV: 'production' })).rejects.toThrow(
      /^no key source outside the database for encryption, jwt, cursor \(NODE_ENV=production or OPSFLUX_REQUIRE_EXTERNAL_KEYS=1\): set OPSFLUX_KEY_FILE .* or set OPSFLUX_ENCRYPTION_KEY, OPSFLUX_JWT_SECRET, OPSFLUX_CURSOR_SECRET;/,
    );
    // une seule sorte manquante : seule sa variable est citée
    await expect(open({ NODE_ENV: 'production', OPSFLUX_ENCRYPTION_KEY: 'ab'.repeat(32), OPSFLUX_JWT_SECRET: 'j'.repeat(32) }))
      .rejects.toThrow(/for cursor .* or set OPSFLUX_CURSOR_SECRET;/);
    await expect(open({ OPSFLUX_REQUIRE_EXTERNAL_KEYS: '1' })).rejects.toThrow(/no key source outside the database/);
  });

  it('starts in production with a key file, created on first start with mode 0600 and read again at restart', async () => {
    const file = join(dir, 'keys.json');
    const env = { NODE_ENV: 'production', OPSFLUX_KEY_FILE: file };
    const first = await open(env, reopenable());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(written.keys).sort()).toEqual(['cursor', 'encryption', 'jwt']);
    const ids = (['encryption', 'jwt', 'cursor'] as const).map((kind) => first.keys.current(kind).id);
    expect(ids).toEqual([written.keys.encryption[0].id, written.keys.jwt[0].id, written.keys.cursor[0].id]);
    expect(first.keys.current('encryption').origin).toBe('file');
    const sealed = first.box.seal('kept across restarts');
    await close(first);
    const second = await open(env, reopenable());
    expect((['encryption', 'jwt', 'cursor'] as const).map((kind) => second.keys.current(kind).id)).toEqual(ids);
    expect(second.box.open(sealed)).toBe('kept across restarts');
  });

  it('starts in production with the three key variables', async () => {
    const platform = await open({ NODE_ENV: 'production', OPSFLUX_ENCRYPTION_KEY: 'ab'.repeat(32), OPSFLUX_JWT_SECRET: 'j'.repeat(32), OPSFLUX_CURSOR_SECRET: 'c'.repeat(40) });
    expect(platform.keys.current('jwt')).toMatchObject({ origin: 'env', key: Buffer.from('j'.repeat(32)) });
  });

  it('refuses to start in production while the database still holds keys, even with a key file', async () => {
    await close(await open({}, reopenable()));
    await expect(open({ NODE_ENV: 'production', OPSFLUX_KEY_FILE: join(dir, 'keys.json') }, reopenable())).rejects.toThrow(
      /^the database still holds 3 platform key\(s\) in system_secret .* run "npx opsflux secrets rotate" then "npx opsflux secrets retire"/,
    );
  });

  it('refuses an OPSFLUX_JWT_SECRET shorter than 32 bytes, in development too', async () => {
    await expect(open({ OPSFLUX_JWT_SECRET: 'only-twenty-chars!!!' })).rejects.toThrow(
      /^OPSFLUX_JWT_SECRET must hold at least 32 bytes \(got 20\): give at least 32 bytes/,
    );
  });

  it('refuses a key file inside the embedded data directory', async () => {
    const dataDir = join(dir, 'data');
    await expect(Platform.open({ dataDir, dispatch: false, keys: { env: { OPSFLUX_KEY_FILE: join(dataDir, 'keys.json') } } }))
      .rejects.toThrow(/is inside the data directory/);
  });
});
