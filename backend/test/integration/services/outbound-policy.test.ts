// Politique des connexions sortantes, de bout en bout pour chaque genre de connexion configurable : stockage S3,
// fournisseur de taux, OpenID (découverte par une route sans authentification), LDAP, SMTP, catalogue distant de
// modules, webhooks. L'adresse de métadonnées (169.254.169.254) et une adresse locale non permise (127.0.0.2) sont
// refusées à l'enregistrement (problème par champ, en français et en anglais) et à la connexion (valeur enregistrée
// avant la politique, ou nom qui résout ailleurs depuis) ; une redirection d'un serveur permis vers une adresse
// refusée n'atteint jamais sa cible ; chaque genre réussit vers son pair local quand il figure dans la liste
// d'autorisation de la plateforme (réglage `outbound.allowList`).
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { ModuleCatalog } from '../../../src/modules/catalog.js';
import { multipart } from '../../support/multipart.js';
import { startIdp, type TestIdp } from '../../support/oidc-idp.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startTestS3, type TestS3 } from '../../support/s3.js';
import { directoryLdif, LDAP_ADMIN, LDAP_SUFFIX, startSlapd, type Slapd } from '../../support/slapd.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';
import { startReceiver, waitFor, type Receiver } from '../../support/webhook-receiver.js';

const METADATA_HOST = '169.254.169.254';
const METADATA = `http://${METADATA_HOST}/latest/meta-data/`;
/** adresse locale jamais dans la liste d'autorisation : les pièges y écoutent */
const UNLISTED = '127.0.0.2';
const PUBLIC_URL = 'http://127.0.0.1:3997';
const REFUSED_METADATA = /Refused: 169\.254\.169\.254 is a reserved, link-local, multicast or metadata address/;
const REFUSED_TRAP = /Refused: 127\.0\.0\.2 is a loopback, private or shared address \(allowed only by the platform setting outbound\.allowList/;
const FEED = `<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope><Cube><Cube time='2024-06-03'>
  <Cube currency='USD' rate='1.0849'/><Cube currency='CHF' rate='0.9764'/></Cube></Cube></gesmes:Envelope>`;

interface Redirector {
  origin: string;
  hits: number;
  close(): Promise<void>;
}

/** Serveur local permis qui répond à toute requête par une redirection vers `location`. */
async function startRedirector(location: string): Promise<Redirector> {
  const state = { hits: 0 };
  const server = createHttpServer((_req, res) => {
    state.hits++;
    res.writeHead(302, { location }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get hits() {
      return state.hits;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Piège TCP sur l'adresse locale non permise : compte les connexions (LDAP, SMTP). */
async function startTcpTrap() {
  const state = { connections: 0 };
  const server = createTcpServer((socket) => {
    state.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, UNLISTED, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let server: TestServer;
let tenant: TestTenant;
let api: Client;
/** pièges sur 127.0.0.2 : rien ne doit jamais les atteindre */
let trap: Receiver;
let tcpTrap: Awaited<ReturnType<typeof startTcpTrap>>;
/** serveur permis : flux de taux, catalogue, destinataire de webhooks */
let gate: Receiver;
let toTrap: Redirector;
let toMetadata: Redirector;
let s3: TestS3;
let idp: TestIdp;
let slapd: Slapd;
let smtp: SmtpPeer;
let customer: string;
let cacheDir: string;

beforeAll(async () => {
  [trap, tcpTrap, gate, s3, slapd, smtp] = await Promise.all([
    startReceiver(UNLISTED), startTcpTrap(), startReceiver(), startTestS3(), startSlapd(directoryLdif()), startSmtp(),
  ]);
  [toTrap, toMetadata, idp] = await Promise.all([
    startRedirector(trap.url('/stolen')), startRedirector(METADATA),
    startIdp(`${PUBLIC_URL}/api/v1/auth/sso/corp/callback`, { alice: { email: 'alice@corp.test', name: 'Alice Martin', groups: [] } }),
  ]);
  gate.on('/rates.xml', (_n, res) => void res.writeHead(200, { 'content-type': 'text/xml' }).end(FEED));
  gate.on('/moved.xml', (_n, res) => void res.writeHead(301, { location: '/rates.xml' }).end());
  server = await startServer({ publicUrl: PUBLIC_URL, dispatch: true, webhooks: { maxAttempts: 1 }, email: { maxAttempts: 1, backoffMs: 50 } });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
  // pairs permis par le réglage de la plateforme ; les métadonnées y figurent aussi, sans effet : jamais permises
  const allowList = [gate.url(''), toTrap.origin, toMetadata.origin, s3.endpoint, idp.issuer, slapd.url, `smtp://127.0.0.1:${smtp.port}`]
    .map((url) => new URL(url).host).concat(METADATA_HOST, '169.254.0.0/16');
  const set = await api.put('/api/v1/settings/outbound.allowList', { value: allowList, level: 'platform' });
  expect(set.statusCode, set.body).toBe(200);
  customer = (await api.post('/api/v1/data/customer', { name: 'Outbound & Co' })).json().id;
  cacheDir = mkdtempSync(join(tmpdir(), 'opsflux-outbound-'));
}, 120_000);

afterAll(async () => {
  await api?.delete('/api/v1/settings/outbound.allowList?level=platform');
  await server?.close();
  await Promise.all([trap?.close(), tcpTrap?.close(), gate?.close(), toTrap?.close(), toMetadata?.close(), s3?.close(), idp?.stop(), slapd?.stop(), smtp?.close()]);
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

/** Réglage refusé à l'enregistrement : 400, un problème sur `value`, message de la raison dans la langue demandée. */
async function expectRefusedSetting(key: string, value: unknown, reason: RegExp, level = 'tenant', language = 'en') {
  const res = await api.put(`/api/v1/settings/${key}`, { value, level }, { 'accept-language': language });
  expect(res.statusCode, `${key} = ${String(value)}`).toBe(400);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json().errors).toEqual([{ field: 'value', code: 'target_not_allowed', message: expect.stringMatching(reason) }]);
}

const SAVED_METADATA = /^169\.254\.169\.254 is a reserved, link-local, multicast or cloud metadata address: always refused\.$/;
const SAVED_TRAP = /^127\.0\.0\.2 is a loopback, private or shared address: refused unless the platform allows it \(setting outbound\.allowList\)\.$/;

async function setTenant(key: string, value: unknown) {
  const res = await api.put(`/api/v1/settings/${key}`, { value, level: 'tenant' });
  expect(res.statusCode, res.body).toBe(200);
}

/** Valeur posée sans passer par les contrôles d'enregistrement : comme une valeur enregistrée avant la politique. */
async function storeUnchecked(key: string, value: unknown) {
  await inTenant(server.platform.db, { tenantId: tenant.tenantId, userId: tenant.userId }, (trx) => sql`
    INSERT INTO setting_value (id, tenant_id, level, target_id, key, value, updated_by)
    VALUES (${uuidv7()}, app_tenant(), 'tenant', ${tenant.tenantId}, ${key}, ${JSON.stringify(value)}::jsonb, app_user())
    ON CONFLICT (tenant_id, level, target_id, key) DO UPDATE SET value = excluded.value`.execute(trx));
  server.platform.settings.invalidate(tenant.tenantId);
}

/** Réglages d'un fournisseur d'identité réécrits sans les contrôles d'enregistrement. */
async function providerConfigUnchecked(name: string, config: Record<string, unknown>) {
  const table = (await server.platform.catalog(tenant.tenantId)).get('auth_provider')!.table;
  await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) =>
    sql`UPDATE ${sql.table(table)} SET config = ${JSON.stringify(config)}::jsonb WHERE name = ${name}`.execute(trx));
}

function nothingReachedTheTraps() {
  expect(trap.received).toEqual([]);
  expect(tcpTrap.connections).toBe(0);
}

describe('outbound allow-list setting', () => {
  it('is a platform setting whose entries are checked when saved, in English and in French', async () => {
    const res = await api.put('/api/v1/settings/outbound.allowList', { value: ['10.0.0.0/8', 'http://minio.internal', 'minio.internal:99999'], level: 'platform' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'value.1', code: 'invalid_value', message: 'Expected a host name, an IP address or a CIDR range, with an optional :port.' },
      { field: 'value.2', code: 'invalid_value', message: 'Expected a host name, an IP address or a CIDR range, with an optional :port.' },
    ]);
    const fr = await api.put('/api/v1/settings/outbound.allowList', { value: ['x y'], level: 'platform' }, { 'accept-language': 'fr' });
    expect(fr.json().errors[0].message).toBe('Nom d’hôte, adresse IP ou plage CIDR attendu, avec un :port facultatif.');
    // un administrateur de tenant ne la change pas (niveau plateforme seulement)
    expect((await api.put('/api/v1/settings/outbound.allowList', { value: [], level: 'tenant' })).statusCode).toBe(400);
    const described = (await api.get('/api/v1/settings/outbound.allowList')).json();
    expect(described).toMatchObject({ scope: 'platform', source: 'platform', value: expect.arrayContaining([s3.endpoint.replace('http://', '')]) });
  });
});

describe('S3 storage', () => {
  const upload = (content: string) => {
    const { payload, contentType } = multipart(Buffer.from(content), 'note.txt');
    return server.app.inject({ method: 'POST', url: `/api/v1/files?entity=customer&recordId=${customer}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${tenant.token}` } });
  };

  beforeAll(async () => {
    for (const [key, value] of Object.entries({ 'files.s3.bucket': s3.bucket, 'files.s3.accessKeyId': s3.accessKeyId, 'files.s3.secretAccessKey': s3.secretAccessKey })) await setTenant(key, value);
  });
  afterAll(async () => {
    await api.delete('/api/v1/settings/files.storage?level=tenant');
  });

  it('refuses the metadata and an unlisted loopback endpoint when saved and when connecting', async () => {
    await expectRefusedSetting('files.s3.endpoint', `http://${METADATA_HOST}`, SAVED_METADATA);
    await expectRefusedSetting('files.s3.endpoint', trap.url(''), SAVED_TRAP);
    await setTenant('files.storage', 's3');
    for (const [endpoint, refused] of [[`http://${METADATA_HOST}`, REFUSED_METADATA], [trap.url(''), REFUSED_TRAP]] as const) {
      await storeUnchecked('files.s3.endpoint', endpoint);
      const res = await upload(`refused ${endpoint}`);
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json()).toMatchObject({ code: 'storage_unavailable', detail: expect.stringMatching(refused) });
    }
    nothingReachedTheTraps();
  });

  it('never follows a redirect of an allowed endpoint', async () => {
    await setTenant('files.storage', 's3');
    for (const redirector of [toTrap, toMetadata]) {
      await setTenant('files.s3.endpoint', redirector.origin);
      const before = redirector.hits;
      const res = await upload(`redirected to ${redirector.origin}`);
      expect(res.statusCode).toBe(502);
      expect(res.json()).toMatchObject({ code: 'storage_unavailable', detail: 'The file storage answered 302' });
      expect(redirector.hits).toBeGreaterThan(before);
    }
    nothingReachedTheTraps();
  });

  it('stores files on the listed loopback peer', async () => {
    await setTenant('files.storage', 's3');
    await setTenant('files.s3.endpoint', s3.endpoint);
    const res = await upload('kept on the listed peer');
    expect(res.statusCode, res.body).toBe(201);
    expect(s3.objects.get(`${tenant.tenantId}/${(res.json().sha256 as string).slice(0, 2)}/${res.json().sha256 as string}`)?.toString()).toBe('kept on the listed peer');
  });
});

describe('exchange rate provider', () => {
  const fetchRates = () => api.post('/api/v1/currencies/rates/fetch');

  it('refuses the metadata and an unlisted loopback address when saved and when connecting', async () => {
    await expectRefusedSetting('currency.rates.providerUrl', METADATA, SAVED_METADATA);
    await expectRefusedSetting('currency.rates.providerUrl', trap.url('/rates.xml'), SAVED_TRAP);
    for (const [url, refused] of [[METADATA, REFUSED_METADATA], [trap.url('/rates.xml'), REFUSED_TRAP]] as const) {
      await storeUnchecked('currency.rates.providerUrl', url);
      const res = await fetchRates();
      expect(res.statusCode).toBe(502);
      expect(res.json()).toMatchObject({ code: 'provider_unreachable', detail: expect.stringMatching(refused) });
    }
    nothingReachedTheTraps();
  });

  it('checks every redirect hop against the policy', async () => {
    for (const [redirector, refused] of [[toTrap, REFUSED_TRAP], [toMetadata, REFUSED_METADATA]] as const) {
      await setTenant('currency.rates.providerUrl', `${redirector.origin}/rates.xml`);
      const res = await fetchRates();
      expect(res.statusCode).toBe(502);
      expect(res.json().detail).toMatch(refused);
    }
    nothingReachedTheTraps();
  });

  it('reads the feed of the listed loopback provider, through a redirect that stays on permitted addresses', async () => {
    await setTenant('currency.rates.providerUrl', gate.url('/moved.xml'));
    const res = await fetchRates();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 2, from: '2024-06-03' });
    expect(gate.at('/moved.xml')).toHaveLength(1);
    expect(gate.at('/rates.xml')).toHaveLength(1);
  });
});

describe('OpenID Connect provider', () => {
  const start = () => server.app.inject({ method: 'GET', url: `/api/v1/auth/sso/corp/start?tenant=${tenant.slug}` });
  const base = { clientId: 'opsflux' };
  let corp = '';

  beforeAll(async () => {
    const res = await api.post('/api/v1/data/auth_provider', { name: 'corp', label: 'Corp', kind: 'oidc', config: { ...base, issuer: idp.issuer }, secret: 'opsflux-client-secret' });
    expect(res.statusCode, res.body).toBe(201);
    corp = res.json().id;
  });

  it('refuses the metadata and an unlisted loopback issuer when saved and when the unauthenticated sign-in starts', async () => {
    for (const [issuer, reason] of [[`https://${METADATA_HOST}`, SAVED_METADATA], [trap.url(''), SAVED_TRAP]] as const) {
      const res = await api.post('/api/v1/data/auth_provider', { name: 'meta', label: 'Meta', kind: 'oidc', config: { ...base, issuer } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'config.issuer', code: 'target_not_allowed', message: expect.stringMatching(reason) }]);
    }
    // https : seule une adresse de la machine même peut servir un émetteur en http
    for (const [issuer, refused] of [[`https://${METADATA_HOST}`, REFUSED_METADATA], [`https://${UNLISTED}:${trap.port}`, REFUSED_TRAP]] as const) {
      await providerConfigUnchecked('corp', { ...base, issuer });
      const res = await start();
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json()).toMatchObject({ code: 'sso_unavailable', detail: expect.stringMatching(refused) });
    }
    nothingReachedTheTraps();
  });

  it('never follows a redirect of an allowed issuer', async () => {
    for (const redirector of [toTrap, toMetadata]) {
      await providerConfigUnchecked('corp', { ...base, issuer: redirector.origin });
      const before = redirector.hits;
      const res = await start();
      expect(res.statusCode).toBe(502);
      expect(res.json().code).toBe('sso_unavailable');
      expect(redirector.hits).toBe(before + 1);
    }
    nothingReachedTheTraps();
  });

  it('discovers the listed loopback provider', async () => {
    const res = await api.patch(`/api/v1/data/auth_provider/${corp}`, { config: { ...base, issuer: idp.issuer } });
    expect(res.statusCode, res.body).toBe(200);
    const started = await start();
    expect(started.statusCode, started.body).toBe(302);
    expect(started.headers.location).toMatch(new RegExp(`^${idp.issuer}/`));
  });
});

describe('LDAP directory', () => {
  const base = { bindDn: LDAP_ADMIN.dn, baseDn: `ou=people,${LDAP_SUFFIX}`, userFilter: '(uid={username})' };
  const sync = () => api.post('/api/v1/auth/ldap/dir/sync');

  beforeAll(async () => {
    const res = await api.post('/api/v1/data/auth_provider', { name: 'dir', label: 'Directory', kind: 'ldap', config: { ...base, url: slapd.url }, secret: LDAP_ADMIN.password });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses the metadata and an unlisted loopback directory when saved and when connecting', async () => {
    const trapUrl = `ldap://${UNLISTED}:${tcpTrap.port}`;
    for (const [url, reason] of [[`ldaps://${METADATA_HOST}`, SAVED_METADATA], [trapUrl, SAVED_TRAP]] as const) {
      const res = await api.post('/api/v1/data/auth_provider', { name: 'meta-dir', label: 'Meta', kind: 'ldap', config: { ...base, url } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'config.url', code: 'target_not_allowed', message: expect.stringMatching(reason) }]);
    }
    for (const [url, refused] of [[`ldap://${METADATA_HOST}`, REFUSED_METADATA], [trapUrl, REFUSED_TRAP]] as const) {
      await providerConfigUnchecked('dir', { ...base, url });
      const res = await sync();
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'directory_unavailable', detail: expect.stringMatching(refused) });
      // la connexion sans authentification échoue de même, sans dire pourquoi
      const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/ldap/dir', payload: { username: 'alice', password: 'alice-password', tenant: tenant.slug } });
      expect(login.json()).toMatchObject({ status: 503, code: 'directory_unavailable' });
    }
    nothingReachedTheTraps();
  });

  it('synchronises the listed loopback directory', async () => {
    await providerConfigUnchecked('dir', { ...base, url: slapd.url });
    const res = await sync();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ synced: 3, skipped: [] });
  });
});

describe('SMTP server of a tenant', () => {
  async function deliver(to: string): Promise<Record<string, any>> {
    const { id } = await server.platform.email.send({ tenantId: tenant.tenantId, to, subject: 'Outbound', html: '<p>Outbound</p>' });
    let message: Record<string, any> = {};
    await waitFor(async () => {
      message = (await api.get(`/api/v1/email/messages/${id}`)).json();
      return ['sent', 'failed'].includes(message.status);
    }, 30_000, `message to ${to} settled`);
    return message;
  }

  it('refuses the metadata and an unlisted loopback server when saved and when connecting', async () => {
    await expectRefusedSetting('mail.smtp.host', METADATA_HOST, SAVED_METADATA);
    await expectRefusedSetting('mail.smtp.host', UNLISTED, SAVED_TRAP);
    await expectRefusedSetting('mail.smtp.host', UNLISTED, /^127\.0\.0\.2 est une adresse locale, privée ou partagée : refusée sauf si la plateforme l’autorise/, 'tenant', 'fr');
    await setTenant('mail.smtp.port', tcpTrap.port);
    for (const [host, refused] of [[METADATA_HOST, REFUSED_METADATA], [UNLISTED, REFUSED_TRAP]] as const) {
      await storeUnchecked('mail.smtp.host', host);
      const message = await deliver(`refused-${host}@corp.test`);
      expect(message).toMatchObject({ status: 'failed', lastError: expect.stringMatching(refused) });
    }
    nothingReachedTheTraps();
  });

  it('sends through the listed loopback server', async () => {
    await setTenant('mail.smtp.host', '127.0.0.1');
    await setTenant('mail.smtp.port', smtp.port);
    const message = await deliver('listed@corp.test');
    expect(message.status, message.lastError).toBe('sent');
    expect(smtp.inbox.filter((m) => m.to.includes('listed@corp.test'))).toHaveLength(1);
  });
});

describe('remote module catalog', () => {
  const errors: string[] = [];
  let url = '';
  // même lecture que celle de la plateforme, sur une adresse propre au test (le réglage de plateforme est partagé)
  const catalog = () => new ModuleCatalog(server.platform.db, {
    cacheDir,
    remote: { url: async () => url, maxBytes: async () => 1024 * 1024, fetch: (target, init) => server.platform.outbound.fetch('catalog', target, init) },
    onError: (error) => errors.push((error as Error).message),
  });

  it('refuses the metadata and an unlisted loopback catalog when saved and when connecting', async () => {
    await expectRefusedSetting('modules.catalog.url', METADATA, SAVED_METADATA, 'platform');
    await expectRefusedSetting('modules.catalog.url', trap.url('/catalog.json'), SAVED_TRAP, 'platform');
    for (const [target, refused] of [[METADATA, REFUSED_METADATA], [trap.url('/catalog.json'), REFUSED_TRAP]] as const) {
      url = target;
      errors.length = 0;
      expect((await catalog().entries()).filter((e) => e.source === 'remote')).toEqual([]);
      expect(errors).toEqual([expect.stringMatching(refused)]);
    }
    nothingReachedTheTraps();
  });

  it('checks every redirect hop and every package address against the policy', async () => {
    for (const [redirector, refused] of [[toTrap, REFUSED_TRAP], [toMetadata, REFUSED_METADATA]] as const) {
      url = `${redirector.origin}/catalog.json`;
      errors.length = 0;
      await catalog().entries();
      expect(errors).toEqual([expect.stringMatching(refused)]);
    }
    // un catalogue permis qui désigne un paquet sur une adresse refusée : le paquet n'est pas téléchargé
    const manifest = { name: 'epsilon', version: '2.0.0', label: { en: 'Epsilon' }, core: '>=0.1.0' };
    gate.on('/catalog.json', (_n, res) => void res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ modules: [{ manifest, url: trap.url('/epsilon.tgz'), sha256: 'a'.repeat(64) }] })));
    url = gate.url('/catalog.json');
    errors.length = 0;
    const listed = await catalog();
    const [entry] = (await listed.entries()).filter((e) => e.source === 'remote');
    expect(errors).toEqual([]);
    expect(entry).toMatchObject({ manifest: { name: 'epsilon', version: '2.0.0' }, url: trap.url('/epsilon.tgz') });
    await expect(listed.locate(entry!)).rejects.toThrow(REFUSED_TRAP);
    nothingReachedTheTraps();
  });
});

describe('webhooks', () => {
  async function lastDelivery(id: string) {
    await server.platform.jobs.idle();
    let delivery: Record<string, any> | undefined;
    await waitFor(async () => {
      [delivery] = (await api.get(`/api/v1/webhooks/${id}/deliveries`)).json().data;
      return delivery !== undefined && ['succeeded', 'failed'].includes(delivery.status);
    }, 30_000, 'webhook delivery settled');
    return delivery!;
  }

  async function ping(url: string, unchecked = false) {
    const created = await api.post('/api/v1/data/webhook', { name: `hook ${url}`, url: unchecked ? gate.url('/placeholder') : url, events: ['nothing.here'] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    if (unchecked) await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) => sql`UPDATE webhook SET url = ${url} WHERE id = ${id}`.execute(trx));
    expect((await api.post(`/api/v1/webhooks/${id}/test`)).statusCode).toBe(202);
    return lastDelivery(id);
  }

  it('refuses the metadata and an unlisted loopback receiver when saved and when connecting', async () => {
    for (const [target, reason] of [[METADATA, SAVED_METADATA], [trap.url('/stolen'), SAVED_TRAP]] as const) {
      const res = await api.post('/api/v1/data/webhook', { name: 'refused', url: target, events: ['*'] });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'url', code: 'target_not_allowed', message: expect.stringMatching(reason) }]);
    }
    for (const [target, refused] of [[METADATA, REFUSED_METADATA], [trap.url('/stolen'), /Refused: 127\.0\.0\.2 is a loopback.*outbound\.allowList or webhooks\.allowPrivateTargets/]] as const) {
      expect(await ping(target, true)).toMatchObject({ status: 'failed', responseStatus: null, error: expect.stringMatching(refused) });
    }
    expect(await ping(`${toTrap.origin}/hook`)).toMatchObject({ status: 'failed', responseStatus: 302, error: expect.stringContaining('Redirect not followed') });
    nothingReachedTheTraps();
  });

  it('delivers to the listed loopback receiver', async () => {
    expect(await ping(gate.url('/hook'))).toMatchObject({ status: 'succeeded', responseStatus: 200 });
    expect(gate.at('/hook')).toHaveLength(1);
  });

  it('keeps the former webhooks.allowPrivateTargets setting for webhooks only', async () => {
    const set = await api.put('/api/v1/settings/webhooks.allowPrivateTargets', { value: true, level: 'platform' });
    expect(set.statusCode).toBe(200);
    try {
      expect(await ping(trap.url('/opened'))).toMatchObject({ status: 'succeeded', responseStatus: 200 });
      expect(trap.at('/opened')).toHaveLength(1);
      expect(await ping(METADATA, true)).toMatchObject({ status: 'failed', error: expect.stringMatching(REFUSED_METADATA) });
      // les autres connexions n'en profitent pas
      await storeUnchecked('currency.rates.providerUrl', trap.url('/rates.xml'));
      expect((await api.post('/api/v1/currencies/rates/fetch')).json().detail).toMatch(REFUSED_TRAP);
      expect(trap.at('/rates.xml')).toHaveLength(0);
    } finally {
      await api.delete('/api/v1/settings/webhooks.allowPrivateTargets?level=platform');
    }
  });
});
