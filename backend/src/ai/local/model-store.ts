// Modèles appris par tenant (table ai_local_model) : lus et écrits dans une transaction du tenant — celle de la
// requête, ou celle d'un travail de fond ouverte comme la plateforme avec le tenant fixé — si bien que la RLS les
// isole. Un modèle est un document JSON nommé par sa sorte et sa portée.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';

export interface StoredModel<T> {
  kind: string;
  scope: string;
  model: T;
  stats: Record<string, unknown> | null;
  trainedAt: string;
}

const COLUMNS = sql`kind, scope, model, stats, trained_at AS "trainedAt"`;

/** Le modèle de cette sorte et de cette portée, s'il a été appris. */
export async function readModel<T>(trx: Tx, kind: string, scope = ''): Promise<StoredModel<T> | undefined> {
  const { rows } = await sql<StoredModel<T>>`SELECT ${COLUMNS} FROM ai_local_model WHERE kind = ${kind} AND scope = ${scope}`.execute(trx);
  return rows[0];
}

/** Les modèles d'une sorte (toutes portées), du plus récent au plus ancien. */
export async function listModels<T>(trx: Tx, kind: string): Promise<StoredModel<T>[]> {
  const { rows } = await sql<StoredModel<T>>`SELECT ${COLUMNS} FROM ai_local_model WHERE kind = ${kind} ORDER BY trained_at DESC, scope`.execute(trx);
  return rows;
}

/** Remplace le modèle (tenant de la transaction). */
export async function writeModel<T>(trx: Tx, kind: string, scope: string, model: T, stats?: Record<string, unknown>): Promise<void> {
  await sql`
    INSERT INTO ai_local_model (tenant_id, kind, scope, model, stats, trained_at)
    VALUES (current_setting('app.tenant_id')::uuid, ${kind}, ${scope}, ${JSON.stringify(model)}::jsonb, ${stats ? JSON.stringify(stats) : null}::jsonb, now())
    ON CONFLICT (tenant_id, kind, scope) DO UPDATE SET model = EXCLUDED.model, stats = EXCLUDED.stats, trained_at = EXCLUDED.trained_at`.execute(trx);
}

/** Oublie les modèles d'une sorte, d'une portée ou de toutes (l'utilisateur a coupé l'apprentissage, par exemple). */
export async function deleteModels(trx: Tx, kind: string, scope?: string): Promise<number> {
  const result = scope === undefined
    ? await sql`DELETE FROM ai_local_model WHERE kind = ${kind}`.execute(trx)
    : await sql`DELETE FROM ai_local_model WHERE kind = ${kind} AND scope = ${scope}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
