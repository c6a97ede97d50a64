// Compositeur des écritures d'enregistrements : la ligne écrite, son entrée d'audit et son événement d'outbox. Une
// création directe (une ligne, ou un lot d'import) part en une seule instruction (INSERT … RETURNING dans un WITH,
// audit et événement calculés sur les lignes insérées) ; une écriture déjà faite (mise à jour, corbeille, chaîne
// d'héritage, crochets) ajoute son audit et son événement, calculés sur l'état relu, avec le COMMIT.
import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import { auditInsert, type AuditActor } from '../../audit/writer.js';
import { bindTemplate, compileTemplate, TemplateCache } from '../../db/statement-template.js';
import { executeAtCommit, type Tx } from '../../db/transaction.js';
import { outboxInsert, type OutboxEvent } from '../../events/outbox.js';
import type { EntityModel, FieldModel } from '../model.js';
import { projection } from '../query/projection.js';
import { createdChangesSql, diffRecords } from './changes.js';
import { columnParams, columnsFrom } from './sql-values.js';
import { insertManySql, insertSql, type NewRecord } from './table-writes.js';

export type { NewRecord } from './table-writes.js';

type Row = Record<string, unknown>;
export type RecordAction = 'create' | 'update' | 'delete' | 'restore';

const TOPIC: Record<RecordAction, string> = { create: 'created', update: 'updated', delete: 'deleted', restore: 'restored' };

/** Événement d'une écriture d'enregistrement ; `id` et `eid` sont des expressions (ligne insérée ou paramètres). */
function recordEvent(model: EntityModel, action: RecordAction, actor: AuditActor, id: RawBuilder<unknown>, eid: RawBuilder<unknown>) {
  const payload = sql`jsonb_build_object('entity', ${model.name}::text, 'id', ${id}, 'eid', ${eid}, 'actor', ${actor.userId}::uuid, 'requestId', ${actor.requestId}::text)`;
  return { topic: `${model.name}.${TOPIC[action]}`, payload };
}

/**
 * INSERT (sans RETURNING) composé avec l'audit de création de chaque ligne et l'événement : celui de chaque
 * enregistrement, ou `event` pour tout le lot. L'instruction se termine par `select`, évalué sur `inserted`.
 */
function insertWithTrail(actor: AuditActor, model: EntityModel, insert: RawBuilder<unknown>, event: OutboxEvent | undefined, select: RawBuilder<unknown>): RawBuilder<unknown> {
  const source = sql`inserted`;
  const audit = auditInsert(actor, [{ action: 'create', entity: model.name, recordId: sql`inserted.id`, changes: createdChangesSql(model, 'inserted') }], source);
  const outbox = event
    ? outboxInsert(actor.tenantId, [event])
    : outboxInsert(actor.tenantId, [recordEvent(model, 'create', actor, sql`inserted.id`, sql`inserted.eid`)], source);
  return sql`WITH inserted AS (${insert} RETURNING ${projection(model)}), audit AS (${audit}), event AS (${outbox}) ${select}`;
}

const createTemplates = new TemplateCache<EntityModel>();

/**
 * Création d'un enregistrement d'une entité à table unique : INSERT … RETURNING, audit et événement en une
 * instruction. La forme (champs écrits, eid fourni ou non) est compilée une fois par modèle ; seuls les paramètres
 * changent.
 */
export function createStatement(db: Tx, actor: AuditActor, model: EntityModel, id: string, eid: string | undefined, data: Map<FieldModel, unknown>): CompiledQuery<Row> {
  const fields = model.fields.filter((f) => data.has(f));
  const shape = `${eid === undefined ? 'seq' : 'eid'}:${fields.map((f) => f.name).join(',')}`;
  const template = createTemplates.get(model, shape, () => compileTemplate(db, (slot) => createShape(model, fields, eid !== undefined, slot)));
  const values: Record<string, unknown> = { id, eid: eid ?? null, tenant: actor.tenantId, user: actor.userId ?? null, request: actor.requestId, ip: actor.ip ?? null };
  for (const field of fields) columnParams(field, data.get(field)).forEach((v, i) => (values[`${field.name}.${i}`] = v ?? null));
  return bindTemplate(template, values) as CompiledQuery<Row>;
}

/** Forme de la création : uniquement des emplacements, aucune valeur de requête. */
function createShape(model: EntityModel, fields: FieldModel[], eidGiven: boolean, slot: (name: string) => never): RawBuilder<unknown> {
  const actor: AuditActor = { tenantId: slot('tenant'), userId: slot('user'), requestId: slot('request'), ip: slot('ip') };
  const columns = fields.flatMap((field) => columnsFrom(field, columnParams(field, null).map((_, i) => slot(`${field.name}.${i}`))));
  const insert = insertSql(model.chain[0]!, slot('id'), eidGiven ? slot('eid') : undefined, columns);
  return insertWithTrail(actor, model, insert, undefined, sql`SELECT * FROM inserted`);
}

/**
 * Création en lot (entité à table unique, sans crochet de création : voir `RecordService.directCreate`) : un seul
 * INSERT … SELECT FROM unnest(…), l'audit de chaque ligne (mêmes changements que la création unitaire) et `event`
 * pour tout le lot, dans la même instruction.
 */
export async function createRecords(trx: Tx, actor: AuditActor, model: EntityModel, records: NewRecord[], event: OutboxEvent): Promise<void> {
  await insertWithTrail(actor, model, insertManySql(model, records), event, sql`SELECT count(*) FROM inserted`).execute(trx);
}

/** Audit et événement d'une écriture déjà faite (état avant et après relus), envoyés au plus tard avec le COMMIT. */
export async function recordWritten(trx: Tx, actor: AuditActor, model: EntityModel, action: RecordAction, before: Row | null, after: Row): Promise<void> {
  const id = after.id as string;
  const audit = auditInsert(actor, [{ action, entity: model.name, recordId: id, changes: diffRecords(before, after) }]);
  const event = outboxInsert(actor.tenantId, [recordEvent(model, action, actor, sql`${id}::uuid`, sql`${after.eid}::text`)]);
  // audit et événement en un seul aller-retour : l'INSERT de l'outbox s'exécute dans le WITH
  await executeAtCommit(trx, sql`WITH event AS (${event}) ${audit}`);
}
