// Création en lot des enregistrements validés d'un import : le compositeur d'écritures du moteur insère le lot en une
// instruction (INSERT … SELECT FROM unnest(…)), avec l'audit de chaque ligne et un événement pour le lot.
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import { createRecords, type NewRecord } from '../../engine/crud/write.js';
import type { EntityModel } from '../../engine/model.js';

export type { NewRecord };

/** Insère les enregistrements (entité à table unique, sans crochet de création : voir `RecordService.directCreate`). */
export function bulkCreate(trx: Tx, ctx: RequestContext, model: EntityModel, records: NewRecord[], event: { topic: string; payload: Record<string, unknown> }): Promise<void> {
  return createRecords(trx, ctx, model, records, event);
}
