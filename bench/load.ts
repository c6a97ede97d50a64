// Préparation d'un banc : plateforme, tenant, administrateur connecté, entité de 10 champs et 100 000 lignes.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { FastifyInstance } from 'fastify';
import { Platform } from '../backend/src/core/platform.js';
import { inTenant } from '../backend/src/db/transaction.js';
import { ownerWork } from '../backend/src/db/role-scope.js';
import { buildApp } from '../backend/src/http/app.js';
import { createUser } from '../backend/src/iam/bootstrap.js';

export const ENTITY = 'bench_item';
const CATEGORIES = ['hardware', 'software', 'service', 'training'];

export interface Fixture {
  platform: Platform;
  app: FastifyInstance;
  url: string;
  token: string;
  /** utilisateur ordinaire dont un rôle accorde la lecture de l'entité (coût des contrôles d'accès) */
  roleToken: string;
  tenantId: string;
  userId: string;
  table: string;
  /** champ → colonne physique */
  columns: Record<string, string>;
  ids: string[];
}

async function http(app: FastifyInstance, method: 'POST', url: string, body: unknown, token?: string) {
  const res = await app.inject({ method, url, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function prepare(databaseUrl: string | undefined, rows: number): Promise<Fixture> {
  const platform = await Platform.open({ url: databaseUrl, poolSize: 10, dispatch: process.env.BENCH_DISPATCH !== '0' });
  const app = await buildApp(platform);
  const password = 'benchmark-password';
  const { id: userId, tenantId } = await createUser(platform, { email: 'bench@opsflux.test', password, tenant: 'bench', superAdmin: true });
  const { accessToken: token } = await http(app, 'POST', '/api/v1/auth/login', { email: 'bench@opsflux.test', password, tenant: 'bench' });
  await http(app, 'POST', '/api/v1/meta/entities', {
    name: ENTITY,
    label: { en: 'Bench item', fr: 'Article de banc' },
    fields: {
      name: { type: 'string', required: true, index: true },
      code: { type: 'string' },
      qty: { type: 'integer', index: true },
      price: { type: 'decimal' },
      active: { type: 'boolean' },
      category: { type: 'enum', options: { values: CATEGORIES } },
      dueOn: { type: 'date' },
      note: { type: 'text' },
      score: { type: 'integer' },
      tagline: { type: 'string' },
    },
  }, token);
  const model = (await platform.catalog(tenantId)).get(ENTITY)!;
  const column = (name: string) => model.byName.get(name)!.column;
  const ids: string[] = [];
  const batch = 1000;
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start);
    const chunk = Array.from({ length: n }, (_, k) => start + k);
    const batchIds = chunk.map(() => uuidv7());
    ids.push(...batchIds);
    // une instruction par lot : un tableau par colonne, déplié par unnest
    await inTenant(platform.db, { tenantId, userId }, (trx) => sql`
      INSERT INTO ${sql.table(model.table)} (id, tenant_id, eid, created_by, updated_by,
        ${sql.ref(column('name'))}, ${sql.ref(column('code'))}, ${sql.ref(column('qty'))}, ${sql.ref(column('price'))},
        ${sql.ref(column('active'))}, ${sql.ref(column('category'))}, ${sql.ref(column('dueOn'))}, ${sql.ref(column('note'))},
        ${sql.ref(column('score'))}, ${sql.ref(column('tagline'))})
      SELECT u.id, app_tenant(), u.eid, app_user(), app_user(), u.name, u.code, u.qty, u.price, u.active, u.category, u.due, u.note, u.score, u.tagline
      FROM unnest(${batchIds}::uuid[], ${chunk.map((i) => `BENCH-${i}`)}::text[], ${chunk.map((i) => `Item ${i}`)}::text[],
                  ${chunk.map((i) => `C${i % 997}`)}::text[], ${chunk.map((i) => i % 1000)}::int[], ${chunk.map((i) => `${i % 500}.25`)}::numeric[],
                  ${chunk.map((i) => i % 3 !== 0)}::boolean[], ${chunk.map((i) => CATEGORIES[i % 4]!)}::text[],
                  ${chunk.map((i) => `2026-${String((i % 12) + 1).padStart(2, '0')}-15`)}::date[], ${chunk.map((i) => `Note for item ${i}`)}::text[],
                  ${chunk.map((i) => i % 100)}::int[], ${chunk.map((i) => `Tagline ${i % 50}`)}::text[])
        AS u(id, eid, name, code, qty, price, active, category, due, note, score, tagline)`.execute(trx));
  }
  // VACUUM (et pas seulement ANALYZE) : bits d'indice et carte de visibilité posés avant la mesure, pas pendant
  await ownerWork(() => sql`VACUUM (ANALYZE) ${sql.table(model.table)}`.execute(platform.db));
  // serveur : point de contrôle après le chargement, pour que les pages complètes écrites dans le WAL ne retombent pas
  // sur le premier scénario d'écriture (droit requis : superutilisateur ou pg_checkpoint ; sinon on s'en passe)
  if (databaseUrl) await ownerWork(() => sql`CHECKPOINT`.execute(platform.db)).catch(() => undefined);
  const roleToken = await restrictedUser(app, platform, token);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const columns = Object.fromEntries(['name', 'code', 'qty', 'price', 'active', 'category', 'dueOn', 'note', 'score', 'tagline'].map((f) => [f, column(f)]));
  return { platform, app, url: address, token, roleToken, tenantId, userId, table: model.table, columns, ids };
}

/** Utilisateur sans privilège d'administration, lecteur de l'entité par un rôle ; renvoie son jeton d'accès. */
async function restrictedUser(app: FastifyInstance, platform: Platform, adminToken: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/data/permission?filter=${encodeURIComponent(JSON.stringify({ code: `${ENTITY}:read` }))}`, headers: { authorization: `Bearer ${adminToken}` } });
  const permission = res.json().data[0].id as string;
  const role = await http(app, 'POST', '/api/v1/data/role', { name: 'bench-reader', permissions: [permission] }, adminToken);
  const password = 'benchmark-password';
  const { id } = await createUser(platform, { email: 'reader@opsflux.test', password, tenant: 'bench' });
  await app.inject({ method: 'PATCH', url: `/api/v1/data/user/${id}`, payload: { roles: [role.id] }, headers: { authorization: `Bearer ${adminToken}` } });
  return (await http(app, 'POST', '/api/v1/auth/login', { email: 'reader@opsflux.test', password, tenant: 'bench' })).accessToken;
}
