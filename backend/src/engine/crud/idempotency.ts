// Création idempotente (en-tête Idempotency-Key) : la clé de l'utilisateur est réservée avec l'empreinte de la requête
// dans la transaction de la création ; une requête rejouée reçoit la réponse enregistrée, une autre requête sous la
// même clé est refusée (409).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';
import type { EntityModel } from '../model.js';

type Row = Record<string, unknown>;

export interface IdempotentOutcome {
  record: Row;
  /** réponse d'une requête précédente sous la même clé */
  replayed: boolean;
}

/** Réserve la clé puis crée (`create`) et enregistre la réponse ; sinon, rejoue la réponse de la première requête. */
export async function idempotentCreate(trx: Tx, model: EntityModel, key: string, body: unknown, create: () => Promise<Row>): Promise<IdempotentOutcome> {
  const hash = createHash('sha256').update(`${model.name}\n${JSON.stringify(body ?? null)}`).digest('hex');
  const inserted = await sql`INSERT INTO idempotency_key (tenant_id, user_id, key, request_hash)
    VALUES (app_tenant(), app_user(), ${key}, ${hash}) ON CONFLICT DO NOTHING RETURNING 1`.execute(trx);
  if (inserted.rows.length === 0) {
    const { rows } = await sql<{ request_hash: string; status: number; response: Row }>`
      SELECT request_hash, status, response FROM idempotency_key WHERE user_id = app_user() AND key = ${key}`.execute(trx);
    const previous = rows[0]!;
    if (previous.request_hash !== hash) throw new ProblemError(409, 'idempotency_key_reused', 'This Idempotency-Key was used with another request');
    return { record: previous.response, replayed: true };
  }
  const record = await create();
  await sql`UPDATE idempotency_key SET status = 201, response = ${JSON.stringify(record)}::jsonb
    WHERE user_id = app_user() AND key = ${key}`.execute(trx);
  return { record, replayed: false };
}
