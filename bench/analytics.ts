// Banc de l'analyse (scénario `analytics`) : 1 000 000 de ventes (BENCH_ANALYTICS_ROWS) sur 500 clients, puis
// POST /api/v1/analytics/query « somme des montants par mois × client, montant > 50 » en boucle : latence p50 et p99
// (moteur PostgreSQL, la même base que les listes), et une analyse d'un utilisateur restreint par une règle
// d'enregistrements (mêmes requêtes, règle compilée dans le WHERE).
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { Platform } from '../backend/src/core/platform.js';
import { ownerWork } from '../backend/src/db/role-scope.js';
import { inTenant } from '../backend/src/db/transaction.js';
import { buildApp } from '../backend/src/http/app.js';
import { createUser } from '../backend/src/iam/bootstrap.js';

export interface AnalyticsBenchResult {
  backend: string;
  rows: number;
  loadSeconds: number;
  groups: number;
  p50Ms: number;
  p99Ms: number;
  restrictedP50Ms: number;
  runs: number;
}

/** objectif du ticket (moteur colonnes) ; sur PostgreSQL, le chiffre est rapporté pour comparaison */
export const ANALYTICS_TARGET_P50_MS = 300;
const CUSTOMERS = 500;
const BATCH = 50_000;
const quantile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]! * 10) / 10;

export async function benchAnalytics(backend: string, databaseUrl: string | undefined, rows: number, runs: number): Promise<AnalyticsBenchResult> {
  const platform = await Platform.open({ url: databaseUrl, poolSize: 4, dispatch: false });
  const app = await buildApp(platform);
  try {
    const slug = `bench-bi-${Date.now().toString(36)}`;
    const password = 'bench analytics 2026';
    const { id: userId, tenantId } = await createUser(platform, { email: `bi@${slug}.test`, password, tenant: slug, superAdmin: true });
    const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, tenant: slug } })).json().accessToken as string;
    const admin = { authorization: `Bearer ${await login(`bi@${slug}.test`)}` };
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, headers = admin) => {
      const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await call('POST', '/api/v1/meta/entities', {
      name: 'bench_sale', label: { en: 'Bench sale', fr: 'Vente de banc' },
      fields: {
        customer: { type: 'ref', options: { to: 'customer' } }, amount: { type: 'decimal', options: { precision: 14, scale: 2 } },
        soldOn: { type: 'date' }, region: { type: 'string' },
      },
    });
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i += 250) {
      const operations = Array.from({ length: 250 }, (_, k) => ({ op: 'create', data: { name: `Customer ${i + k}` } }));
      customers.push(...(await call('POST', '/api/v1/data/customer/bulk', { operations })).results.map((r: { id: string }) => r.id));
    }
    // 36 mois × 500 clients : au-delà de la limite par défaut des groupes, relevée pour ce tenant
    await call('PUT', '/api/v1/settings/analytics.maxGroups', { value: 20_000, level: 'tenant' });
    const model = (await platform.catalog(tenantId)).get('bench_sale')!;
    const column = (name: string) => sql.ref(model.byName.get(name)!.column);
    console.log(`[${backend}] analytics: loading ${rows} sales…`);
    const started = performance.now();
    for (let start = 0; start < rows; start += BATCH) {
      const n = Math.min(BATCH, rows - start);
      const index = Array.from({ length: n }, (_, k) => start + k);
      await inTenant(platform.db, { tenantId, userId }, (trx) => sql`
        INSERT INTO ${sql.table(model.table)} (id, tenant_id, eid, created_by, updated_by, ${column('customer')}, ${column('amount')}, ${column('soldOn')}, ${column('region')})
        SELECT u.id, app_tenant(), u.eid, app_user(), app_user(), u.customer, u.amount, u.sold, u.region
        FROM unnest(${index.map(() => uuidv7())}::uuid[], ${index.map((i) => `S-${i}`)}::text[], ${index.map((i) => customers[(i * 7919) % CUSTOMERS]!)}::uuid[],
                    ${index.map((i) => `${(i * 37) % 1000}.${String(i % 100).padStart(2, '0')}`)}::numeric[],
                    ${index.map((i) => new Date(Date.UTC(2024, 0, 1) + (i % 1095) * 86_400_000).toISOString().slice(0, 10))}::date[],
                    ${index.map((i) => ['north', 'south', 'east', 'west'][i % 4]!)}::text[])
          AS u(id, eid, customer, amount, sold, region)`.execute(trx));
    }
    await ownerWork(() => sql`VACUUM (ANALYZE) ${sql.table(model.table)}`.execute(platform.db));
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;

    // analyste restreint : une région sur quatre (règle d'enregistrements)
    const permission = (await call('GET', `/api/v1/data/permission?filter=${encodeURIComponent(JSON.stringify({ code: { in: ['bench_sale:read', 'customer:read'] } }))}`)).data.map((p: { id: string }) => p.id);
    const role = (await call('POST', '/api/v1/data/role', { name: 'bench analyst', permissions: permission })).id;
    await call('POST', '/api/v1/data/record_rule', { role, entity: 'bench_sale', filter: { region: { eq: 'north' } } });
    const { id: analystId } = await createUser(platform, { email: `analyst@${slug}.test`, password, tenant: slug });
    await call('PATCH', `/api/v1/data/user/${analystId}`, { roles: [role] });
    const analyst = { authorization: `Bearer ${await login(`analyst@${slug}.test`)}` };

    const body = {
      entity: 'bench_sale', measures: [{ fn: 'sum', field: 'amount' }],
      dimensions: [{ field: 'soldOn', bucket: 'month' }, { field: 'customer.name' }], filter: { amount: { gt: 50 } }, timeZone: 'UTC',
    };
    const time = async (headers: { authorization: string }) => {
      const t0 = performance.now();
      const res = await call('POST', '/api/v1/analytics/query', body, headers);
      return { ms: performance.now() - t0, groups: res.rows.length as number };
    };
    const { groups } = await time(admin); // chauffe
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await time(admin)).ms);
    const restricted: number[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) restricted.push((await time(analyst)).ms);
    times.sort((a, b) => a - b);
    restricted.sort((a, b) => a - b);
    return { backend, rows, loadSeconds, groups, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), restrictedP50Ms: quantile(restricted, 0.5), runs };
  } finally {
    await app.close();
    await platform.close();
  }
}

export function reportAnalytics(results: AnalyticsBenchResult[]): string {
  const lines = results.map((r) => `| ${r.backend} | ${r.rows.toLocaleString('en')} | ${r.loadSeconds} s | ${r.groups} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.restrictedP50Ms} ms |`);
  return ['## Analytics (sum by month × customer, 1 filter)', '', '| Engine | Fact rows | Load | Groups | p50 | p99 | Restricted user p50 |', '|---|---|---|---|---|---|---|', ...lines].join('\n');
}
