// Service générique des enregistrements : validation → accès → crochets → SQL → audit → outbox, pour toute entité.
import { sql, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { executeFinal, type Tx } from '../../db/transaction.js';
import type { HookBus } from '../../events/hooks.js';
import { notFound, ProblemError, validationFailed } from '../../errors/problem.js';
import { checkCompany, stampDefaults } from '../../iam/access/record-ownership.js';
import type { AccessPolicy, EntityAction } from '../access.js';
import type { RequestContext } from '../context.js';
import { compileFilter } from '../filter/index.js';
import type { EntityModel, FieldModel, TableLink } from '../model.js';
import type { Catalog } from '../registry.js';
import { assertNotReferenced } from './references.js';
import type { CursorCodec } from '../query/cursor.js';
import { aggregateRecords, type AggregateOptions } from '../query/aggregate.js';
import { listRecords, type ListOptions, type ListResult } from '../query/list.js';
import { aliveSql, fromChain, projection } from '../query/projection.js';
import { PathResolver, type FieldVisibility } from '../query/resolver.js';
import { validateHookOutput, validateInput, type WriteMode } from '../validate.js';
import { writableBy, writeRefusal } from '../writers.js';
import { valuesByAlias, type ColumnValue } from './sql-values.js';
import { insertSql, trashSql, updateSql, writeLinks } from './table-writes.js';
import { createStatement, recordWritten, type RecordAction } from './write.js';

export type Row = Record<string, unknown>;

export interface ReadScope {
  scopeFilter: unknown;
  variables: Record<string, unknown> | undefined;
  visible: FieldVisibility;
}

export interface RecordServiceDeps {
  hooks: HookBus;
  access: AccessPolicy;
  codec: CursorCodec;
  /** appelé pour chaque écriture, dans sa transaction (invalidation de caches dérivés, par exemple) */
  onWrite?: (trx: Tx, ctx: RequestContext, model: EntityModel) => Promise<void>;
}

export interface HistoryOptions {
  limit?: number;
  before?: number;
}

type Fetch = { forUpdate?: boolean; trashed?: 'with' | 'only'; action: EntityAction };

export interface WriteOptions {
  /** rien ne suit dans la transaction : la dernière instruction part avec le COMMIT (un aller-retour de moins) */
  final?: boolean;
}

export class RecordService {
  constructor(private readonly deps: RecordServiceDeps) {}

  /** L'action est-elle permise à l'appelant sur cette entité (qui existe dans son catalogue) ? */
  allowed(ctx: RequestContext, catalog: Catalog, name: string, action: EntityAction): boolean {
    const model = catalog.get(name);
    return model !== undefined && this.deps.access.can(ctx, model, action);
  }

  /** Modèle de l'entité si elle existe et que l'action est permise (404 sinon : l'existence n'est pas révélée). */
  entity(ctx: RequestContext, catalog: Catalog, name: string, action: EntityAction): EntityModel {
    const model = catalog.get(name);
    if (!model) throw notFound(`Unknown entity "${name}"`);
    if (!this.deps.access.can(ctx, model, action)) throw new ProblemError(403, 'forbidden', `Not allowed to ${action} ${name}`);
    return model;
  }

  /** Ce qu'une lecture de l'appelant voit : règles d'enregistrements, variables des filtres, champs visibles. */
  readScope(ctx: RequestContext, model: EntityModel): ReadScope {
    return {
      scopeFilter: this.deps.access.recordFilter(ctx, model, 'read'),
      variables: this.deps.access.variables(ctx),
      visible: (entity: EntityModel, field: FieldModel) => this.deps.access.fieldVisible(ctx, entity, field),
    };
  }

  list(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, options: ListOptions): Promise<ListResult> {
    const { visible, ...scope } = this.readScope(ctx, model);
    return listRecords(trx, model, catalog, this.deps.codec, { ...options, ...scope }, visible);
  }

  /** Agrégats avec les mêmes règles d'enregistrements et la même visibilité des champs que `list`. */
  aggregate(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, options: Omit<AggregateOptions, 'scopeFilter' | 'variables'>) {
    const { visible, ...scope } = this.readScope(ctx, model);
    return aggregateRecords(trx, model, catalog, { ...options, ...scope }, visible);
  }

  async get(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, id: string, trashed?: 'with' | 'only'): Promise<Row> {
    const row = await this.fetch(trx, ctx, catalog, model, id, { action: 'read', trashed });
    if (!row) throw notFound();
    return row;
  }

  async create(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, input: unknown, options: WriteOptions = {}): Promise<Row> {
    if (model.abstract) throw new ProblemError(405, 'abstract_entity', `${model.name} is abstract: create one of its sub-entities`);
    const { values, eid, id: givenId } = this.validate(ctx, model, input, 'create');
    stampDefaults(ctx, model, values);
    const id = givenId ?? uuidv7();
    const data = await this.runBefore('beforeCreate', trx, ctx, catalog, model, values, undefined, id);
    if (singleTable(model) && !this.deps.hooks.has('afterCreate', model.name, ctx.tenantId)) {
      // chemin direct : INSERT, audit et événement en une seule instruction, compilée une fois par forme
      const statement = createStatement(trx, ctx, model, id, eid, data);
      await this.deps.onWrite?.(trx, ctx, model);
      const { rows } = options.final ? await executeFinal(trx, statement) : await trx.executeQuery<Row>(statement);
      return rows[0]!;
    }
    const grouped = valuesByAlias(data);
    // de la racine vers la feuille : un parent déjà présent (même id) est réutilisé (un tiers client ET fournisseur)
    let returned: Row | undefined;
    for (const link of [...model.chain].reverse()) {
      if (link.alias !== 't0' && givenId && (await this.exists(trx, link.table, id))) continue;
      returned = await this.insertRow(trx, link, id, eid, grouped.get(link.alias) ?? [], singleTable(model) ? model : undefined);
    }
    await writeLinks(trx, model, id, data);
    const after = returned ?? (await this.fetch(trx, ctx, catalog, model, id, { action: 'read', trashed: 'with' }))!;
    await this.afterWrite(trx, ctx, catalog, model, 'create', null, after);
    return after;
  }

  async update(
    trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, id: string, input: unknown, expectedVersion?: number,
  ): Promise<Row> {
    const before = await this.fetch(trx, ctx, catalog, model, id, { action: 'update', forUpdate: true });
    if (!before) throw notFound();
    checkVersion(before, expectedVersion);
    const { values, eid } = this.validate(ctx, model, input, 'update');
    checkCompany(ctx, model, values);
    const data = await this.runBefore('beforeUpdate', trx, ctx, catalog, model, values, before, id);
    const grouped = valuesByAlias(data);
    let returned: Row | undefined;
    for (const link of model.chain) {
      const columns = grouped.get(link.alias) ?? [];
      const isLeaf = link.alias === 't0';
      if (isLeaf) {
        if (eid !== undefined) columns.push({ column: 'eid', value: sql`${eid}` });
        columns.push({ column: 'version', value: sql`t0.version + 1` });
      }
      if (columns.length === 0) continue;
      columns.push({ column: 'updated_at', value: sql`now()` }, { column: 'updated_by', value: sql`app_user()` });
      const tail = singleTable(model) ? sql` RETURNING ${projection(model)}` : sql``;
      const { rows } = await sql<Row>`${updateSql(link, id, columns)}${tail}`.execute(trx);
      returned = rows[0];
    }
    await writeLinks(trx, model, id, data);
    const after = returned ?? (await this.fetch(trx, ctx, catalog, model, id, { action: 'read', trashed: 'with' }))!;
    await this.afterWrite(trx, ctx, catalog, model, 'update', before, after);
    return after;
  }

  async remove(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, id: string, expectedVersion?: number): Promise<void> {
    const before = await this.fetch(trx, ctx, catalog, model, id, { action: 'delete', forUpdate: true });
    if (!before) throw notFound();
    checkVersion(before, expectedVersion);
    await this.deps.hooks.run({ event: 'beforeDelete', ctx, trx, catalog, entity: model, before });
    await assertNotReferenced(trx, catalog, model, id, ctx.locale);
    await trashSql(model, id, true).execute(trx);
    const after = (await this.fetch(trx, ctx, catalog, model, id, { action: 'read', trashed: 'only' }))!;
    await this.afterWrite(trx, ctx, catalog, model, 'delete', before, after);
  }

  async restore(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, id: string): Promise<Row> {
    const before = await this.fetch(trx, ctx, catalog, model, id, { action: 'update', forUpdate: true, trashed: 'only' });
    if (!before) throw notFound();
    await trashSql(model, id, false).execute(trx);
    const after = (await this.fetch(trx, ctx, catalog, model, id, { action: 'read' }))!;
    await this.afterWrite(trx, ctx, catalog, model, 'restore', before, after);
    return after;
  }

  /** Création ou mise à jour par identifiant externe. Un enregistrement supprimé n'est pas ressuscité en silence (409). */
  async upsertByEid(
    trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, eid: string, input: unknown,
  ): Promise<{ created: boolean; record: Row }> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw validationFailed([{ field: '', code: 'invalid_type', message: 'Expected a JSON object' }]);
    const { rows } = await sql<{ id: string; deleted: boolean }>`
      SELECT id, deleted_at IS NOT NULL AS deleted FROM ${sql.table(model.table)} WHERE eid = ${eid} FOR UPDATE`.execute(trx);
    const existing = rows[0];
    if (!existing) return { created: true, record: await this.create(trx, ctx, catalog, model, { ...input, eid }) };
    if (existing.deleted) throw new ProblemError(409, 'eid_deleted', `The record with eid "${eid}" is deleted: restore it first`);
    const { eid: _ignored, ...rest } = input as Record<string, unknown>;
    void _ignored;
    return { created: false, record: await this.update(trx, ctx, catalog, model, existing.id, rest) };
  }

  async history(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, id: string, options: HistoryOptions = {}) {
    const row = await this.fetch(trx, ctx, catalog, model, id, { action: 'read', trashed: 'with' });
    if (!row) throw notFound();
    const limit = Math.min(options.limit ?? 50, 1000);
    const before = options.before !== undefined ? sql`AND id < ${options.before}` : sql``;
    const { rows } = await sql<{ id: number; action: string; at: Date; actor: string | null; request_id: string | null; changes: Record<string, unknown> }>`
      SELECT id, action, at, actor, request_id, changes FROM audit_log
      WHERE entity = ${model.name} AND record_id = ${id} ${before} ORDER BY id DESC LIMIT ${limit + 1}`.execute(trx);
    const more = rows.length > limit;
    if (more) rows.length = limit;
    return {
      data: rows.map((r) => ({ action: r.action, at: r.at, actor: r.actor, requestId: r.request_id, changes: r.changes })),
      meta: { nextCursor: more ? String(rows[rows.length - 1]!.id) : null },
    };
  }

  // --- rouages internes ---

  /** Validation seule : valeurs normalisées et erreurs par champ, sans rien écrire (import en lot). */
  check(ctx: RequestContext, model: EntityModel, input: unknown, mode: WriteMode) {
    // champs permis au chemin (API, import) par les métadonnées ; le code de confiance (système, crochets de modules
    // en sudo) écrit aussi ceux en lecture seule ; jamais les internes (refusés par la validation)
    const writer = ctx.writer ?? 'api';
    const writable = (field: FieldModel) => {
      if (!this.deps.access.fieldWritable(ctx, model, field)) return false;
      return ctx.system === true || writableBy(field, writer) || writeRefusal(field, writer, ctx.locale);
    };
    return validateInput(model, input, mode, ctx.locale, writable);
  }

  /** L'appelant peut-il écrire ce champ par son chemin (l'API par défaut) : règles de champs, puis métadonnées ? */
  fieldWritable(ctx: RequestContext, model: EntityModel, field: FieldModel): boolean {
    return this.deps.access.fieldWritable(ctx, model, field) && (ctx.system === true || writableBy(field, ctx.writer ?? 'api'));
  }

  /** Le chemin direct d'une création (une instruction, sans crochet ni table liée) vaut-il pour cette entité ? */
  directCreate(model: EntityModel, tenantId?: string): boolean {
    return singleTable(model) && !this.deps.hooks.has('beforeCreate', model.name, tenantId) && !this.deps.hooks.has('afterCreate', model.name, tenantId);
  }

  private validate(ctx: RequestContext, model: EntityModel, input: unknown, mode: WriteMode) {
    const { result, errors } = this.check(ctx, model, input, mode);
    if (errors.length) throw validationFailed(errors);
    return result;
  }

  private async runBefore(
    event: 'beforeCreate' | 'beforeUpdate', trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, values: Map<FieldModel, unknown>,
    before: Row | undefined, recordId: string,
  ): Promise<Map<FieldModel, unknown>> {
    if (!this.deps.hooks.has(event, model.name, ctx.tenantId)) return values;
    const data = Object.fromEntries([...values].map(([f, v]) => [f.name, v]));
    await this.deps.hooks.run({ event, ctx, trx, catalog, entity: model, data, before, recordId });
    // ce que les crochets ont posé ou changé part en base : contrôlé comme une saisie, jamais écrit tel quel
    const { values: result, errors } = validateHookOutput(model, values, data, event === 'beforeCreate' ? 'create' : 'update', ctx.locale);
    if (errors.length) throw validationFailed(errors);
    return result;
  }

  private async afterWrite(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, action: RecordAction, before: Row | null, after: Row): Promise<void> {
    const hook = action === 'create' ? 'afterCreate' : action === 'delete' ? 'afterDelete' : 'afterUpdate';
    await this.deps.hooks.run({ event: hook, ctx, trx, catalog, entity: model, before: before ?? undefined, after });
    await recordWritten(trx, ctx, model, action, before, after);
    await this.deps.onWrite?.(trx, ctx, model);
  }

  private async exists(trx: Tx, table: string, id: string): Promise<boolean> {
    const { rows } = await sql`SELECT 1 FROM ${sql.table(table)} WHERE id = ${id}`.execute(trx);
    return rows.length > 0;
  }

  /** INSERT d'une table de la chaîne ; pour une entité à table unique, renvoie directement l'enregistrement. */
  private async insertRow(trx: Tx, link: TableLink, id: string, eid: string | undefined, columns: ColumnValue[], returning?: EntityModel): Promise<Row | undefined> {
    const tail = returning ? sql` RETURNING ${projection(returning)}` : sql``;
    const { rows } = await sql<Row>`${insertSql(link, id, eid, columns)}${tail}`.execute(trx);
    return returning ? rows[0] : undefined;
  }

  private async fetch(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, id: string, options: Fetch): Promise<Row | undefined> {
    const conditions: RawBuilder<unknown>[] = [sql`t0.id = ${id}`];
    if (options.trashed === 'only') conditions.push(sql`t0.deleted_at IS NOT NULL`);
    else if (options.trashed !== 'with') conditions.push(aliveSql(model));
    const rule = this.deps.access.recordFilter(ctx, model, options.action);
    let joins: RawBuilder<unknown> = sql``;
    if (rule) {
      const resolver = new PathResolver(model, catalog);
      const compiled = compileFilter(rule, { resolve: resolver.resolveTrusted, variables: this.deps.access.variables(ctx) });
      if (compiled) conditions.push(compiled);
      joins = resolver.joinSql();
    }
    const lock = options.forUpdate ? sql` FOR UPDATE OF t0` : sql``;
    const { rows } = await sql<Row>`SELECT ${projection(model)} FROM ${fromChain(model)}${joins}
      WHERE ${sql.join(conditions, sql` AND `)}${lock}`.execute(trx);
    return rows[0];
  }
}

/** Entité sur une seule table et sans lien plusieurs-à-plusieurs : INSERT/UPDATE … RETURNING suffit à la relire. */
function singleTable(model: EntityModel): boolean {
  return model.chain.length === 1 && !model.fields.some((f) => f.type === 'refs');
}

function checkVersion(row: Row, expected: number | undefined): void {
  if (expected !== undefined && row.version !== expected) {
    throw new ProblemError(412, 'version_mismatch', `The record changed (version ${String(row.version)}, expected ${expected})`, undefined, {
      ETag: `"${String(row.version)}"`,
    });
  }
}
