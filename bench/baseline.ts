// Référence : un Fastify nu qui exécute à la main le même SQL, en une requête, sans transaction, RLS, audit ni outbox.
// Même projection (19 colonnes), même séquence d'eid et mêmes colonnes d'auteur que le moteur : seul l'encadrement diffère.
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { CompiledQuery, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { ownerWork } from '../backend/src/db/role-scope.js';
import { objectName } from '../backend/src/engine/naming.js';
import type { Fixture } from './load.js';

type Query = (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

const SYSTEM = [['id', 'id'], ['eid', 'eid'], ['version', 'version'], ['createdAt', 'created_at'], ['createdBy', 'created_by'],
  ['updatedAt', 'updated_at'], ['updatedBy', 'updated_by'], ['deletedAt', 'deleted_at'], ['deletedBy', 'deleted_by']];

/**
 * Serveur : un `pg.Pool` à part, de la taille de celui de la plateforme (10). PGlite n'a qu'une connexion :
 * la référence passe alors par la même instance, via `platform.db` (Kysely), hors transaction.
 */
function queryFor(databaseUrl: string | undefined, db: Kysely<any>): { query: Query; close(): Promise<void> } {
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    pool.on('error', () => undefined); // la base du banc est supprimée à la fin : ses connexions sont coupées
    return { query: async (text, values) => (await pool.query(text, values)).rows, close: () => pool.end() };
  }
  return {
    // référence écrite à la main : en propriétaire, sans rôle ni RLS (ce qu'OpsFlux s'interdit)
    query: async (text, values) => (await ownerWork(() => db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values)))).rows,
    close: async () => undefined,
  };
}

export async function startBaseline(fixture: Fixture, databaseUrl: string | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const c = fixture.columns;
  const t = `"${fixture.table}"`;
  const select = [...SYSTEM, ...Object.entries(c)].map(([f, col]) => `t0."${col}" AS "${f}"`).join(', ');
  const sequence = objectName(fixture.table, 'eid', 'seq');
  const { query, close } = queryFor(databaseUrl, fixture.platform.db);
  const app: FastifyInstance = Fastify({ logger: false });
  app.get<{ Querystring: { min?: string } }>('/list', async (request) => ({
    data: await query(`SELECT ${select} FROM ${t} AS t0 WHERE tenant_id = $1 AND deleted_at IS NULL AND "${c.qty}" >= $2 AND "${c.active}" = true
      ORDER BY "${c.qty}" DESC, "${c.name}" ASC, id ASC LIMIT 51`, [fixture.tenantId, Number(request.query.min ?? 500)]),
  }));
  app.get<{ Params: { id: string } }>('/item/:id', async (request) =>
    (await query(`SELECT ${select} FROM ${t} AS t0 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [fixture.tenantId, request.params.id]))[0]);
  app.post<{ Body: Record<string, unknown> }>('/item', async (request, reply) => {
    const b = request.body;
    const rows = await query(`INSERT INTO ${t} AS t0 (id, tenant_id, eid, created_by, updated_by, "${c.name}", "${c.qty}", "${c.price}", "${c.active}", "${c.category}")
      VALUES ($1, $2, 'bench_item-' || lpad(nextval('${sequence}'::regclass)::text, 6, '0'), $3, $3, $4, $5, $6, $7, $8) RETURNING ${select}`,
    [uuidv7(), fixture.tenantId, fixture.userId, b.name, b.qty, b.price, b.active, b.category]);
    return reply.code(201).send(rows[0]);
  });
  app.patch<{ Params: { id: string }; Body: { qty: number } }>('/item/:id', async (request) =>
    (await query(`UPDATE ${t} AS t0 SET "${c.qty}" = $3, version = version + 1, updated_at = now(), updated_by = $4
      WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${select}`,
    [fixture.tenantId, request.params.id, request.body.qty, fixture.userId]))[0]);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: async () => { await app.close(); await close(); } };
}
