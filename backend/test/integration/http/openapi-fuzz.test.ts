// Fuzzing de l'API à partir de /api/openapi.json : quelques milliers de requêtes hostiles (types faux, injections,
// nombres extrêmes, unicode, JSON cassé, identifiants, curseurs et versions falsifiés) envoyées à chaque opération
// par un administrateur du tenant (pas un super-administrateur : sur la base partagée du serveur, ses écritures de
// plateforme gêneraient les autres fichiers) et par un utilisateur en lecture seule. Aucune réponse 5xx, des erreurs
// problem+json, le serveur toujours debout, et aucune donnée changée par les requêtes refusées : une phase n'envoie
// que des requêtes qui doivent l'être, entre deux empreintes des données du tenant ; la phase ouverte qui suit
// (toutes les variantes, dont des écritures qui réussissent) n'est contrôlée que pour les 5xx et le problem+json.
// Graine fixe (OPSFLUX_FUZZ_SEED pour en essayer une autre) : un échec se rejoue à l'identique.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileRequest, refusedRequest, type HostileRequest, type RequestSources } from '../../support/fuzz/hostile-requests.js';
import { operationsOf, schemaResolver, type Operation } from '../../support/fuzz/openapi-operations.js';
import { changedTables, tenantFingerprint, type Fingerprint } from '../../support/fuzz/tenant-fingerprint.js';
import { memberKit } from '../../support/members.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const SEED = Number(process.env.OPSFLUX_FUZZ_SEED ?? 17);

/**
 * Requêtes par opération et par utilisateur : le total, et non une minuterie, borne la durée (~4 100 requêtes).
 * OPSFLUX_FUZZ_SCALE les multiplie pour une exploration plus longue, hors CI.
 */
const SCALE = Math.max(1, Number(process.env.OPSFLUX_FUZZ_SCALE ?? 1));
const PER_OPERATION = { refused: 2 * SCALE, openData: 2 * SCALE, openOther: 5 * SCALE };

/** Opérations laissées de côté, avec la raison : elles casseraient la suite de l'exécution. */
const SKIPPED: Record<string, string> = {
  'POST /api/v1/auth/logout': 'ends the session of the fuzzing user: every later request would be 401',
  'GET /api/v1/events/stream': 'server-sent events stream held open until the server stops: app.inject would never return',
  'POST /api/v1/currencies/rates/fetch': 'fetches the external rate provider: no network outside loopback',
};

/** Familles d'opérations personnelles ou publiques qu'un utilisateur en lecture seule peut légitimement réussir. */
const SELF_SERVICE = /^\/api\/v1\/(auth|notifications)\//;

let server: TestServer;
let root: TestTenant;
let admin: { id: string; token: string };
let reader: { id: string; token: string };
let operations: Operation[];
let sources: RequestSources;

interface Outcome {
  request: HostileRequest;
  user: string;
  status: number;
  problems: string[];
}

const ids: Record<string, string[]> = {};
const eids: Record<string, string[]> = {};
const paths: Array<[RegExp, string, string[]]> = [];

async function created(api: Client, entity: string, body: object): Promise<{ id: string; eid: string }> {
  const res = await api.post(`/api/v1/data/${entity}`, body);
  expect(res.statusCode, `${entity}: ${res.body}`).toBe(201);
  return res.json() as { id: string; eid: string };
}

/** Enregistrements de plusieurs entités, fichiers, import, clé d'API, planification : des ids qui existent. */
async function seed(api: Client, protectedIds: Set<string>): Promise<void> {
  expect((await api.post('/api/v1/meta/entities', {
    name: 'fuzz_item',
    fields: {
      title: { type: 'string', required: true }, qty: { type: 'integer' }, price: { type: 'money' }, ratio: { type: 'decimal' },
      due: { type: 'date' }, extra: { type: 'json' }, level: { type: 'enum', options: { values: ['low', 'high'] } },
      labels: { type: 'tags' }, tag: { type: 'ref', options: { to: 'tag' } },
    },
  })).statusCode).toBe(201);
  const tag = await created(api, 'tag', { name: 'fuzz tag' });
  await created(api, 'tag', { name: 'child tag', parent: tag.id });
  await created(api, 'category', { name: 'fuzz category' });
  await created(api, 'customer', { name: 'Fuzz customer', email: 'customer@example.test' });
  await created(api, 'supplier', { name: 'Fuzz supplier' });
  const calendar = await created(api, 'calendar', { name: 'Fuzz calendar' });
  await created(api, 'holiday', { calendar: calendar.id, date: '2024-12-25', name: 'Noël' });
  await created(api, 'fuzz_item', { title: 'one', qty: 1, price: { amount: '12.50', currency: 'EUR' }, tag: tag.id, labels: ['a'] });
  await created(api, 'fuzz_item', { title: 'two', ratio: '0.5', due: '2024-02-29', extra: { a: [1] }, level: 'high' });
  await created(api, 'short_link', { target: 'https://example.test/fuzz' });
  await created(api, 'user', { email: 'sacrificial@example.test', displayName: 'Sacrificial' });
  await created(api, 'role', { name: 'fuzz sacrificial role' });
  await created(api, 'group', { name: 'fuzz group' });
  await created(api, 'bookmark', { label: 'fuzz', entity: 'tag' });

  for (const [name, content, type] of [['notes.txt', 'fuzz', 'text/plain'], ['broken.png', '\x89PNG\r\n\x1a\nnot really', 'image/png']] as const) {
    const { payload, contentType } = multipart(Buffer.from(content, 'latin1'), name, type);
    const up = await server.app.inject({
      method: 'POST', url: `/api/v1/files?${qs({ entity: 'tag', recordId: tag.id })}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${root.token}` },
    });
    expect(up.statusCode, up.body).toBe(201);
  }
  const { payload, contentType } = multipart(Buffer.from('name\nimported tag\n'), 'tags.csv', 'text/csv');
  const imported = await server.app.inject({
    method: 'POST', url: '/api/v1/data/tag/import?wait=true', payload, headers: { 'content-type': contentType, authorization: `Bearer ${root.token}` },
  });
  expect(imported.statusCode, imported.body).toBe(200);

  const readerRole = (await api.get(`/api/v1/data/role?${qs({ filter: { name: 'fuzz-readers' } })}`)).json().data[0].id as string;
  expect((await api.post('/api/v1/api-keys', { name: 'fuzz key', roleId: readerRole })).statusCode).toBe(201);
  // un type que les administrateurs peuvent planifier (les autres, comme ai.rule, ne se lancent que par le code)
  const jobTypes = (await api.get('/api/v1/jobs/types')).json().data as Array<{ name: string; manual: boolean }>;
  const schedulable = jobTypes.find((t) => t.manual);
  expect(schedulable).toBeDefined();
  const schedule = await api.post('/api/v1/job-schedules', { key: 'fuzz', job: schedulable!.name, cron: '0 3 1 1 *', active: false });
  expect(schedule.statusCode, schedule.body).toBe(201);

  // ids connus de chaque entité (ceux des comptes et rôles qui font le fuzzing exceptés) et des routes à identifiant
  const entities = new Set(operations.map((o) => /^\/api\/v1\/data\/([a-z_]+)/.exec(o.template)?.[1]).filter((e): e is string => Boolean(e)));
  for (const entity of entities) {
    const rows = (await api.get(`/api/v1/data/${entity}?limit=4`)).json().data as Array<{ id: string; eid: string }> | undefined;
    const kept = (rows ?? []).filter((r) => !protectedIds.has(r.id));
    ids[entity] = kept.map((r) => r.id);
    eids[entity] = kept.map((r) => r.eid);
  }
  const listed = async (url: string, key = 'id'): Promise<string[]> => {
    const res = await api.get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    const body = res.json();
    return ((Array.isArray(body) ? body : body.data) as Array<Record<string, string>>).slice(0, 3).map((r) => r[key]!);
  };
  const settingKeys = await settingsWithoutSecurity(api);
  paths.push(
    [/^\/api\/v1\/meta\/entities\/\{name\}/, 'name', ['fuzz_item']],
    [/^\/api\/v1\/meta\/entities\/\{name\}\/fields\/\{field\}/, 'field', ['qty', 'title']],
    [/^\/api\/v1\/auth\/saml\/\{tenant\}/, 'tenant', [root.slug]],
    [/^\/api\/v1\/users\/\{id\}/, 'id', ids.user ?? []],
    [/^\/api\/v1\/settings\/\{key\}/, 'key', settingKeys],
    [/^\/api\/v1\/auth\/me\/preferences\/\{key\}/, 'key', ['fuzz.preference']],
    [/^\/api\/v1\/files\/\{id\}/, 'id', await listed(`/api/v1/files?${qs({ entity: 'tag', recordId: tag.id })}`)],
    [/^\/api\/v1\/imports\/\{id\}/, 'id', await listed('/api/v1/imports')],
    [/^\/api\/v1\/calendars\/\{id\}/, 'id', [calendar.id]],
    [/^\/api\/v1\/sequences\/\{code\}/, 'code', await listed('/api/v1/data/sequence', 'code')],
    [/^\/api\/v1\/i18n\/\{locale\}/, 'locale', ['fr', 'en']],
    [/^\/api\/v1\/short-links\/\{id\}/, 'id', ids.short_link ?? []],
    [/^\/api\/v1\/email\/templates\/\{key\}/, 'key', await listed('/api/v1/email/templates', 'key')],
    [/^\/api\/v1\/api-keys\/\{id\}/, 'id', await listed('/api/v1/api-keys')],
    [/^\/api\/v1\/jobs\/\{id\}/, 'id', await listed('/api/v1/jobs')],
    [/^\/api\/v1\/job-schedules\/\{id\}/, 'id', [schedule.json().id]],
    [/^\/api\/v1\/tenants\/\{id\}/, 'id', [root.tenantId]],
  );
}

/** Réglages du tenant, hors sécurité : un second facteur exigé au hasard couperait les sessions du fuzzing. */
async function settingsWithoutSecurity(api: Client): Promise<string[]> {
  const body = (await api.get('/api/v1/settings')).json();
  const keys = ((Array.isArray(body) ? body : body.data) as Array<{ key: string }>).map((s) => s.key);
  return keys.filter((k) => !k.startsWith('security.'));
}

function knownPathValues(template: string, param: string): string[] {
  const data = /^\/api\/v1\/data\/([a-z_]+)\/(\{id\}|by-eid\/\{eid\})/.exec(template);
  if (data) return (param === 'eid' ? eids : ids)[data[1]!] ?? [];
  return paths.find(([pattern, name]) => name === param && pattern.test(template))?.[2] ?? [];
}

/** Graine propre à une opération, un utilisateur et une phase : ajouter une opération ne change pas les autres. */
function seedFor(...parts: string[]): number {
  return createHash('sha256').update([SEED, ...parts].join('\u0000')).digest().readInt32BE(0);
}

function declaredProblem(op: Operation, status: number): boolean {
  const media = op.responses[String(status)];
  return media === undefined || media.length === 0 || media.includes('application/problem+json');
}

/** Envoie une requête et relève ce qui ne va pas : 5xx, erreur hors problem+json, fuite de fichier système. */
async function send(op: Operation, request: HostileRequest, user: string, token: string): Promise<Outcome> {
  const res = await server.app.inject({
    method: request.method, url: request.url, headers: { authorization: `Bearer ${token}`, ...request.headers },
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  const problems: string[] = [];
  const type = String(res.headers['content-type'] ?? '');
  // un 503 déclaré (aucun fournisseur d'IA configuré dans ce tenant) est une réponse prévue, en problem+json
  const unavailable = res.statusCode === 503 && op.responses['503']?.includes('application/problem+json') === true && type.includes('application/problem+json');
  if (res.statusCode >= 500 && !unavailable) problems.push(`server error ${res.statusCode}: ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 400 && res.statusCode < 500 && declaredProblem(op, res.statusCode)) {
    if (!type.includes('application/problem+json')) problems.push(`${res.statusCode} without problem+json (${type}): ${res.body.slice(0, 200)}`);
    else if (res.json().status !== res.statusCode) problems.push(`problem status ${res.json().status} differs from ${res.statusCode}`);
  }
  if (res.body.includes('root:x:0:')) problems.push('answer contains /etc/passwd');
  return { request, user, status: res.statusCode, problems };
}

function describeOutcome(o: Outcome): string {
  const payload = o.request.payload === undefined ? '' : ` body=${JSON.stringify(String(o.request.payload).slice(0, 160))}`;
  return `[${o.user}] ${o.request.method} ${o.request.url.slice(0, 200)} (${o.request.label}) headers=${JSON.stringify(o.request.headers).slice(0, 160)}${payload} → ${o.status}: ${o.problems.join('; ')}`;
}

/** Envoie les requêtes générées d'une phase, opération par opération, dans un ordre fixe. */
async function runPhase(
  phase: string,
  users: Array<{ name: string; token: string; ops: Operation[] }>,
  generate: (op: Operation) => fc.Arbitrary<HostileRequest>,
  count: (op: Operation) => number,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const user of users) {
    for (const op of user.ops) {
      const requests = fc.sample(generate(op), { seed: seedFor(phase, user.name, op.key), numRuns: count(op) });
      for (const request of requests) outcomes.push(await send(op, request, user.name, user.token));
    }
  }
  return outcomes;
}

function histogram(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}

/** Empreinte prise une fois le travail de fond de la mise en place retombé (deux lectures identiques de suite). */
async function settledFingerprint(): Promise<Fingerprint> {
  let previous = await tenantFingerprint(server.platform, root.tenantId);
  for (let attempt = 0; attempt < 40; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = await tenantFingerprint(server.platform, root.tenantId);
    if (changedTables(previous, current).length === 0) return current;
    previous = current;
  }
  throw new Error('the tenant data kept changing in the background');
}

async function alive(): Promise<void> {
  const health = await server.app.inject({ method: 'GET', url: '/api/health' });
  expect(health.statusCode, health.body).toBe(200);
  expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
}

beforeAll(async () => {
  server = await startServer();
  root = await newTenant(server);
  const rootApi = client(server, root.token);
  const kit = memberKit(server, root, rootApi);
  const readPermissions = (await rootApi.get(`/api/v1/data/permission?${qs({ filter: { action: 'read' }, limit: 1000 })}`)).json().data as Array<{ id: string }>;
  expect(readPermissions.length).toBeGreaterThan(20);
  const readerRole = await rootApi.post('/api/v1/data/role', { name: 'fuzz-readers', permissions: readPermissions.map((p) => p.id) });
  expect(readerRole.statusCode, readerRole.body).toBe(201);
  const adminRole = await kit.role('fuzz-administrators', [], { admin: true });
  admin = await kit.member('fuzz-admin', [adminRole]);
  reader = await kit.member('fuzz-reader', [readerRole.json().id]);

  const document = await client(server, admin.token).get('/api/openapi.json');
  expect(document.statusCode).toBe(200);
  operations = operationsOf(document.json());
  await seed(rootApi, new Set([root.userId, admin.id, reader.id, adminRole, readerRole.json().id]));

  // un autre tenant : ses ids servent d'identifiants falsifiés, ils doivent rester introuvables
  const other = await newTenant(server);
  const otherApi = client(server, other.token);
  const foreignIds = [
    (await otherApi.post('/api/v1/data/tag', { name: 'foreign tag' })).json().id as string,
    (await otherApi.post('/api/v1/data/customer', { name: 'Foreign customer' })).json().id as string,
  ];
  expect(foreignIds).toEqual([expect.any(String), expect.any(String)]);
  const cursors = [
    (await rootApi.get('/api/v1/data/tag?limit=1')).json().meta.nextCursor as string,
    (await rootApi.get('/api/v1/data/fuzz_item?limit=1&sort=-title')).json().meta.nextCursor as string,
  ];
  expect(cursors).toEqual([expect.stringMatching(/^.{10,}$/), expect.stringMatching(/^.{10,}$/)]);
  cursors.push(`${cursors[0]!.slice(0, -2)}AA`);

  sources = {
    resolve: schemaResolver(document.json()),
    idsOf: (entity) => ids[entity] ?? [],
    foreignIds,
    pathValues: knownPathValues,
    cursors,
  };
});

afterAll(async () => server?.close());

/** Erreur problem+json attendue, message de champ ou détail dans la langue demandée. */
async function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string, text: RegExp) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const problem = res.json();
  expect(problem).toMatchObject({ status, code });
  expect([problem.detail, ...(problem.errors ?? []).map((e: { message: string }) => e.message)].join(' ')).toMatch(text);
}

describe('hostile requests the fuzzer turned into 5xx or plain JSON errors', () => {
  const as = (headers: Record<string, string>) => ({ authorization: `Bearer ${admin.token}`, ...headers });

  it('refuses a setting value sent as a bare JSON scalar', async () => {
    for (const [payload, language, text] of [['123', 'en', /must be a JSON object/], ['"x"', 'fr', /doit être un objet JSON/]] as const) {
      const res = await server.app.inject({
        method: 'PUT', url: '/api/v1/settings/files.s3.bucket', payload, headers: as({ 'content-type': 'application/json', 'accept-language': language }),
      });
      await expectProblem(res, 400, 'validation_failed', text);
    }
  });

  it('refuses text search on a field that is not text', async () => {
    for (const [type, language, text] of [['date', 'en', /Only text fields/], ['integer', 'fr', /Seuls les champs texte/], ['json', 'en', /Only text fields/]] as const) {
      const res = await server.app.inject({
        method: 'POST', url: '/api/v1/meta/entities/fuzz_item/fields', payload: { name: `searched${type}`, type, search: true }, headers: as({ 'accept-language': language }),
      });
      await expectProblem(res, 400, 'validation_failed', text);
    }
    const text = await client(server, admin.token).post('/api/v1/meta/entities/fuzz_item/fields', { name: 'searchedText', type: 'text', search: true });
    expect(text.statusCode, text.body).toBe(201);
  });

  it('refuses a malformed multipart body on every upload route', async () => {
    const tag = ids.tag![0]!;
    const bodies: Array<[string, string]> = [
      ['multipart/form-data', 'garbage'],
      ['multipart/form-data; boundary=c', '--b\r\n\r\n\r\n--b--'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\nname\nno end'],
      [`multipart/form-data; boundary=${'b'.repeat(300)}`, 'x'],
    ];
    for (const url of [`/api/v1/files?${qs({ entity: 'tag', recordId: tag })}`, '/api/v1/data/tag/import']) {
      for (const [i, [contentType, payload]] of bodies.entries()) {
        const res = await server.app.inject({ method: 'POST', url, payload, headers: as({ 'content-type': contentType, 'accept-language': i % 2 ? 'fr' : 'en' }) });
        await expectProblem(res, 400, 'malformed_multipart', i % 2 ? /corps multipart\/form-data est mal formé/ : /multipart\/form-data body is malformed/);
      }
    }
  });

  it('refuses a NUL character in a path parameter as an invalid value, on PGlite and on the PostgreSQL server alike', async () => {
    const requests: Array<[string, string, object | undefined]> = [
      ['PUT', '/api/v1/data/menu_item/by-eid/a%00b', { position: 1 }],
      ['GET', '/api/v1/short-links/%00/qr', undefined],
      ['GET', `/api/v1/auth/saml/${root.slug}%00/idp/login`, undefined],
    ];
    for (const [method, url, payload] of requests) {
      const res = await server.app.inject({ method: method as 'GET' | 'PUT', url, headers: as({}), ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(500);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    }
  });

  it('answers a malformed address or an over-long path segment in problem+json', async () => {
    await expectProblem(await server.app.inject({ method: 'GET', url: '/api/v1/data/tag/%zz', headers: as({}) }), 400, 'bad_url', /invalid percent-encoding/);
    await expectProblem(await server.app.inject({ method: 'GET', url: '/api/v1/data/tag/%E0%A4%A', headers: as({ 'accept-language': 'fr' }) }), 400, 'bad_url', /encodage pour-cent invalide/);
    await expectProblem(await server.app.inject({ method: 'GET', url: `/api/v1/data/tag/${'x'.repeat(400)}`, headers: as({}) }), 414, 'uri_too_long', /too long/);
  });
});

describe('OpenAPI fuzzing', () => {
  it('answers thousands of hostile requests without a 5xx, in problem+json, and refused requests change nothing', async () => {
    console.log(`openapi-fuzz: seed ${SEED} (set OPSFLUX_FUZZ_SEED to change it), scale ${SCALE}`);
    const started = Date.now();
    const fuzzed = operations.filter((o) => !(o.key in SKIPPED));
    expect(fuzzed.length).toBeGreaterThan(300);
    const writes = fuzzed.filter((o) => o.method !== 'GET');

    // phase refusée : écritures du lecteur hors de son propre compte, et requêtes d'administrateur irrecevables
    const before = await settledFingerprint();
    expect(before.app_user?.rows).toBeGreaterThanOrEqual(4);
    expect(before.tag?.rows).toBeGreaterThanOrEqual(3);
    const refused = [
      ...await runPhase('refused', [{ name: 'reader', token: reader.token, ops: writes.filter((o) => !SELF_SERVICE.test(o.template)) }],
        (op) => hostileRequest(op, sources), () => PER_OPERATION.refused),
      ...await runPhase('refused', [{ name: 'admin', token: admin.token, ops: writes }], (op) => refusedRequest(op, sources), () => PER_OPERATION.refused),
    ];
    const after = await tenantFingerprint(server.platform, root.tenantId);
    await alive();

    // phase ouverte : toutes les opérations, les deux utilisateurs ; des écritures y réussissent
    const open = await runPhase('open', [
      { name: 'reader', token: reader.token, ops: fuzzed },
      { name: 'admin', token: admin.token, ops: fuzzed },
    ], (op) => hostileRequest(op, sources), (op) => (op.template.startsWith('/api/v1/data/') ? PER_OPERATION.openData : PER_OPERATION.openOther));
    await alive();
    const me = await client(server, admin.token).get('/api/v1/auth/me');
    expect(me.statusCode, me.body).toBe(200);

    const all = [...refused, ...open];
    console.log(`openapi-fuzz: ${all.length} requests (${refused.length} refused phase, ${open.length} open phase) to ${fuzzed.length} operations in ${Date.now() - started} ms; statuses ${JSON.stringify(histogram(all))}`);
    console.log(`openapi-fuzz: skipped ${Object.entries(SKIPPED).map(([k, why]) => `${k} (${why})`).join('; ')}`);
    expect(all.length).toBeGreaterThan(2000);
    // un seul constat pour les trois contrôles : un échec les montre tous
    expect({
      seed: SEED,
      problems: all.filter((o) => o.problems.length).map(describeOutcome),
      acceptedInRefusedPhase: refused.filter((o) => o.status < 400).map((o) => describeOutcome({ ...o, problems: ['accepted'] })),
      changedByRefusedRequests: changedTables(before, after),
    }).toEqual({ seed: SEED, problems: [], acceptedInRefusedPhase: [], changedByRefusedRequests: [] });
  }, 300_000);
});
