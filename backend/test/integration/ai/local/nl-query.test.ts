// Questions en langage naturel sans modèle de langue, sur les données de démonstration : exactitude mesurée sur un jeu
// de questions écrit avant le réglage (requête identique après normalisation ; même jeu de résultats), refus des
// demandes destructrices et des questions incomprises, entrées hostiles, droits de l'appelant.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../../src/engine/context.js';
import { loadDemo } from '../../../../src/demo/load-demo.js';
import { client, ownerSql, qs, startServer, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';
import { memberKit } from '../../../support/members.js';
import { parseSse } from '../../../support/sse.js';
import { nlCases, type ExpectedQuery } from './nl-questions.js';

let server: TestServer;
let sales: Client;
let admin: Client;
let tenantId: string;
let slug: string;
const now = new Date();

beforeAll(async () => {
  server = await startServer();
  slug = `nlq-${Date.now().toString(36)}`;
  await loadDemo(server.platform, { tenant: slug, password: 'demo password 2026' });
  const login = async (user: string) => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `${user}@${slug}.opsflux.local`, password: 'demo password 2026', tenant: slug } });
    expect(res.statusCode, res.body).toBe(200);
    return client(server, res.json().accessToken);
  };
  sales = await login('sales');
  admin = await login('admin');
  tenantId = (await ownerSql(server.platform, sql<{ id: string }>`SELECT id FROM tenant WHERE slug = ${slug}`)).rows[0]!.id;
}, 240_000);
afterAll(() => server.close());

type Answer = ExpectedQuery & { understood: boolean; result?: { total: number; groups?: unknown[] } };

const ask = async (question: string, extra: Record<string, unknown> = {}) =>
  sales.post('/api/v1/ai/nl-query', { question, timeZone: 'Europe/Paris', ...extra });

/** Forme canonique : valeur nue → {eq}, nombres en texte, clés triées, champs absents par défaut. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  return value;
}
const conditions = (filter: Record<string, unknown> | undefined) => canonical(Object.fromEntries(Object.entries(filter ?? {})
  .map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? v : { eq: v }])));
function normalise(q: ExpectedQuery) {
  const filter = { ...(q.filter ?? {}) };
  if (q.related?.length) delete filter.id;
  return {
    entity: q.entity, filter: conditions(filter), related: (q.related ?? []).map((r) => ({ entity: r.entity, via: r.via, filter: conditions(r.filter) })),
    sort: q.sort ?? null, limit: q.limit ?? null, count: q.count ?? false, aggregate: canonical(q.aggregate ?? null),
  };
}

/** Identifiants d'une requête de liste, par l'API de données comme la liste les montrerait. */
async function ids(q: ExpectedQuery): Promise<string[]> {
  const filter: Record<string, unknown> = { ...(q.filter ?? {}) };
  for (const rel of q.related ?? []) {
    const res = await sales.get(`/api/v1/data/${rel.entity}?${qs({ filter: rel.filter, fields: rel.via, limit: 1000 })}`);
    filter.id = { in: [...new Set(res.json().data.map((r: Record<string, string>) => r[rel.via]))] };
  }
  const res = await sales.get(`/api/v1/data/${q.entity}?${qs({ filter, fields: 'id', limit: q.limit ?? 1000, ...(q.sort ? { sort: q.sort } : {}) })}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.map((r: { id: string }) => r.id).sort();
}

async function groups(q: ExpectedQuery): Promise<unknown> {
  const { records, tenantTx, catalog } = server.platform;
  const ctx = systemContext(tenantId, 'nlq-test');
  const cat = await catalog(tenantId);
  let filter = q.filter ?? {};
  if (q.related?.length) filter = { ...filter, id: { in: await ids({ entity: q.entity, related: q.related }) } };
  return tenantTx(ctx, (trx) => records.aggregate(trx, ctx, cat, cat.get(q.entity)!, { ...q.aggregate!, filter } as never));
}

describe('natural-language queries (no language model)', () => {
  it('answers the question set with a measured accuracy', async () => {
    const cases = nlCases(now);
    expect(cases.length).toBeGreaterThanOrEqual(100);
    let exact = 0;
    let sameResult = 0;
    const misses: string[] = [];
    for (const c of cases) {
      const res = await ask(c.q, { execute: true, ...(c.context ? { entity: c.context } : {}) });
      expect(res.statusCode, `${c.q}: ${res.body}`).toBe(200);
      const answer = res.json() as Answer;
      if (c.expect === 'refused') {
        if (!answer.understood) { exact++; sameResult++; } else misses.push(`${c.q} → understood ${JSON.stringify(answer)}`);
        continue;
      }
      if (!answer.understood) { misses.push(`${c.q} → not understood (${(answer as { reason?: string }).reason})`); continue; }
      const got = normalise(answer);
      const want = normalise(c.expect);
      const same = JSON.stringify(got) === JSON.stringify(want);
      if (same) exact++;
      else misses.push(`${c.q}\n   got  ${JSON.stringify(got)}\n   want ${JSON.stringify(want)}`);
      if (c.expect.aggregate || answer.aggregate) {
        if (c.expect.aggregate && answer.aggregate && JSON.stringify(canonical(answer.result?.groups)) === JSON.stringify(canonical(await groups(c.expect)))) sameResult++;
      } else if (c.expect.count || answer.count) {
        const want = (await ids({ ...c.expect, limit: undefined })).length;
        if (answer.result?.total === want) sameResult++;
      } else if (JSON.stringify(await ids(answer)) === JSON.stringify(await ids(c.expect))) {
        sameResult++;
      }
    }
    const exactRate = exact / cases.length;
    const resultRate = sameResult / cases.length;
    console.log(`[quality] nl-query exact filter match ${exactRate.toFixed(2)}, result-set match ${resultRate.toFixed(2)} (${cases.length} questions)`);
    if (misses.length) console.log(`[quality] nl-query misses:\n${misses.join('\n')}`);
    // mesuré avant réglage : 0.86 / 0.88 ; après : 0.99 / 0.99 (138 questions) — seuils sous la mesure, pour le bruit des dates
    expect(exactRate).toBeGreaterThanOrEqual(0.95);
    expect(resultRate).toBeGreaterThanOrEqual(0.95);
  }, 300_000);

  it('returns the interpretation, the list filter and the records, run as the user', async () => {
    const res = await ask('clients à Lyon créés ce mois', { execute: true });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ understood: true, language: 'fr', entity: 'customer', label: 'Client', related: [{ entity: 'address', via: 'party', filter: { city: 'Lyon' } }] });
    expect(body.explanation).toMatch(/^Client : Ville \(Adresse\) = Lyon ; Créé le du \d{4}-\d{2}-01 au/);
    expect(body.filter.id.in.length).toBeGreaterThan(0);
    expect(body.result.total).toBe(body.result.records.length);
    // le filtre rendu est celui de l'API des listes : il donne les mêmes clients
    const list = await sales.get(`/api/v1/data/customer?${qs({ filter: body.filter, count: true, limit: 1 })}`);
    expect(list.json().meta.count).toBe(body.result.total);
    const lyon = await sales.get(`/api/v1/data/address?${qs({ filter: { city: 'Lyon' }, fields: 'party', limit: 1000 })}`);
    const parties = new Set(lyon.json().data.map((a: { party: string }) => a.party));
    expect(body.result.records.every((r: { id: string }) => parties.has(r.id))).toBe(true);
    // sans execute : l'interprétation seule
    const dry = (await ask('how many suppliers in Paris')).json();
    expect(dry).toMatchObject({ understood: true, language: 'en', entity: 'supplier', count: true });
    expect(dry.result).toBeUndefined();
    // groupes
    const grouped = (await ask('nombre de clients par catégorie', { execute: true })).json();
    expect(grouped.result.groups.map((g: { keys: Record<string, string> }) => g.keys['category.name']).sort()).toEqual(['Public sector', 'Retail', 'Wholesale']);
  });

  it('refuses destructive requests and says when it does not understand', async () => {
    const before = (await sales.get('/api/v1/data/customer?count=true&limit=1')).json().meta.count;
    for (const question of ['supprime tous les clients', 'Delete every supplier', 'mets à jour les encours', 'vide la table des clients']) {
      const body = (await ask(question, { execute: true })).json();
      expect(body, question).toMatchObject({ understood: false, reason: 'destructive' });
      expect(body.suggestions.length).toBeGreaterThan(0);
    }
    expect((await sales.get('/api/v1/data/customer?count=true&limit=1')).json().meta.count).toBe(before);
    expect((await ask('blorp zzzt qwx')).json()).toMatchObject({ understood: false, reason: 'no_entity' });
    expect((await ask('   ')).json()).toMatchObject({ understood: false, reason: 'empty' });
    expect((await ask('asdf qwerty', { entity: 'customer' })).json()).toMatchObject({ understood: false, reason: 'not_understood', language: 'en' });
  });

  it('rejects bad input with problems and survives hostile strings', async () => {
    const long = await ask('clients '.repeat(250));
    expect(long.statusCode).toBe(400);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect((await sales.post('/api/v1/ai/nl-query', {})).statusCode).toBe(400);
    expect((await ask('')).statusCode).toBe(400);
    expect((await ask('clients', { entity: 'Robert; DROP' })).statusCode).toBe(400);
    expect((await ask('clients', { entity: 'no_such_entity' })).statusCode).toBe(404);
    expect((await ask('clients', { execute: 'yes' })).statusCode).toBe(400);
    for (const hostile of [
      "clients à Lyon' OR '1'='1", 'customers in Paris; SELECT * FROM app_user --', 'clients {"__proto__": {"admin": true}}',
      'clients à $user.id', 'clients \u0000 à Lyon', 'customers with credit limit over 1e309', 'clients à Lyon) OR (1=1',
      '<script>alert(1)</script> clients', 'clients à %', 'clients à _', 'customers over 99999999999999999999999999999',
    ]) {
      const res = await ask(hostile, { execute: true });
      expect(res.statusCode, `${hostile}: ${res.body}`).toBe(200);
      const body = res.json();
      if (body.understood) expect(body.result.total, hostile).toBeLessThanOrEqual(100);
    }
  });

  it('answers in the assistant without any AI provider, with record links', async () => {
    const res = await sales.post('/api/v1/ai/chat', { message: 'clients à Lyon' }, { 'accept-language': 'fr' });
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/event-stream');
    const events = parseSse(res.body);
    const text = events.filter((e) => e.event === 'text').map((e) => e.data.delta).join('');
    expect(text).toContain('analyseur local');
    expect(text).toContain('Ville (Adresse) = Lyon');
    const citations = events.filter((e) => e.event === 'citation');
    expect(citations.length).toBeGreaterThan(0);
    expect(citations[0]!.data).toMatchObject({ entity: 'customer', link: expect.stringMatching(/^\/data\/customer\/[0-9a-f-]{36}$/) });
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { provider: 'local', model: 'nl-query' } });

    const refused = parseSse((await sales.post('/api/v1/ai/chat', { message: 'delete all customers' })).body);
    const refusal = refused.filter((e) => e.event === 'text').map((e) => e.data.delta).join('');
    expect(refusal).toContain('I only run read queries');
    expect(refused.some((e) => e.event === 'citation')).toBe(false);
    const counted = parseSse((await sales.post('/api/v1/ai/chat', { message: 'how many suppliers' })).body);
    expect(counted.filter((e) => e.event === 'text').map((e) => e.data.delta).join('')).toMatch(/60 supplier/);

    // réglage désactivé : l'assistant signale de nouveau l'indisponibilité
    const off = await admin.put('/api/v1/settings/ai.local.nlQuery.assistantFallback', { value: false, level: 'tenant' });
    expect(off.statusCode, off.body).toBe(200);
    const unavailable = await sales.post('/api/v1/ai/chat', { message: 'clients à Lyon' });
    expect(unavailable.statusCode).toBe(503);
    await admin.put('/api/v1/settings/ai.local.nlQuery.assistantFallback', { value: true, level: 'tenant' });
  });

  it('only knows the entities and records the user may read', async () => {
    const kit = memberKit(server, { slug, tenantId } as TestTenant, admin);
    const role = await kit.role('supplier reader', ['supplier:read', 'address:read']);
    const reader = (await kit.member('supplier-reader', [role])).api;
    const asReader = (question: string, extra: Record<string, unknown> = {}) => reader.post('/api/v1/ai/nl-query', { question, timeZone: 'Europe/Paris', ...extra });
    // « clients » n'est pas dans son catalogue : ni deviné, ni révélé
    expect((await asReader('clients à Lyon', { execute: true })).json()).toMatchObject({ understood: false });
    expect((await asReader('clients à Lyon', { entity: 'customer' })).statusCode).toBe(403);
    const suppliers = (await asReader('fournisseurs à Lyon', { execute: true })).json();
    expect(suppliers).toMatchObject({ understood: true, entity: 'supplier' });
    const expected = (await sales.get(`/api/v1/data/supplier?${qs({ filter: suppliers.filter, count: true, limit: 1 })}`)).json().meta.count;
    expect(suppliers.result.total).toBe(expected);
  });
});
