// Entités et champs personnalisés créés à l'exécution : métadonnées + vraies tables/colonnes, dans une transaction, auditées.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { FieldDefinition, FieldError, FieldType, Label } from '@opsflux/sdk';
import { appendAudit } from '../../audit/writer.js';
import { asOwner, type Tx } from '../../db/transaction.js';
import { message } from '../../text/messages.js';
import { notFound, ProblemError, validationFailed } from '../../errors/problem.js';
import type { RequestContext } from '../context.js';
import { checkEntityName, checkFieldName, toSnake } from '../naming.js';
import { META_CHANNEL, type Catalog, type EntityRegistry } from '../registry.js';
import { syncForeignKeys, syncLinkTables, syncTable } from '../schema/sync.js';
import type { EntityModel } from '../model.js';
import { parseAiSuggest } from './ai-suggest.js';

/** Types dont un champ peut être cherché (`search: true`). */
const TEXT_SEARCH_TYPES: ReadonlySet<FieldType> = new Set(['string', 'text', 'email', 'phone', 'url']);

/** Types permis pour un champ créé depuis l'interface ou l'API. */
export const CUSTOM_FIELD_TYPES: readonly FieldType[] = [
  'string', 'text', 'integer', 'decimal', 'money', 'boolean', 'date', 'datetime', 'enum', 'json', 'ref', 'refs', 'email', 'url', 'phone', 'tags',
];

// champs personnalisés par entité : borne les colonnes d'une table (PostgreSQL en permet 1600) et la taille des métadonnées
const MAX_FIELDS = 200;
const LABEL_KEY = /^[a-z]{2}(-[A-Z]{2})?$/;

type Push = (field: string, code: string, params?: Record<string, string | number>) => void;

function tenantKey(tenantId: string): string {
  return createHash('sha256').update(tenantId).digest('hex').slice(0, 8);
}

function parseLabel(raw: unknown, fallback: string, path: string, push: Push): Label {
  if (raw === undefined) return { en: fallback, fr: fallback };
  if (typeof raw === 'string' && raw.length > 0 && raw.length <= 200) return { en: raw, fr: raw };
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const entries = Object.entries(raw);
    if (entries.length > 0 && entries.every(([k, v]) => LABEL_KEY.test(k) && typeof v === 'string' && v.length > 0 && v.length <= 200)) {
      const label = Object.fromEntries(entries) as Record<string, string>;
      return { ...label, en: label.en ?? label.fr ?? Object.values(label)[0]! };
    }
  }
  push(path, 'invalid_type', { expected: 'label (string or { "fr", "en" })' });
  return { en: fallback };
}

/** Contrôle la définition d'un champ personnalisé ; renvoie la définition normalisée. */
function parseField(raw: unknown, name: string, path: string, catalog: Catalog, push: Push): FieldDefinition | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    push(path, 'invalid_type', { expected: 'field definition object' });
    return undefined;
  }
  const body = raw as Record<string, unknown>;
  const allowed = new Set(['name', 'type', 'label', 'required', 'options', 'unique', 'index', 'search', 'min', 'max', 'maxLength', 'default', 'description', 'aiSuggest']);
  for (const key of Object.keys(body)) if (!allowed.has(key)) push(`${path}.${key}`, 'unknown_field', { field: key });
  const problem = checkFieldName(name);
  if (problem) push(`${path}.name`, problem === 'reserved' ? 'reserved_name' : 'invalid_name', { extra: '' });
  const type = body.type as FieldType;
  if (!CUSTOM_FIELD_TYPES.includes(type)) {
    push(`${path}.type`, 'invalid_enum', { values: CUSTOM_FIELD_TYPES.join(', ') });
    return undefined;
  }
  const def: FieldDefinition = { type, label: parseLabel(body.label, name, `${path}.label`, push) };
  for (const flag of ['required', 'unique', 'index', 'search'] as const) {
    if (body[flag] === undefined) continue;
    if (typeof body[flag] !== 'boolean') push(`${path}.${flag}`, 'invalid_type', { expected: 'boolean' });
    else def[flag] = body[flag];
  }
  // la recherche plein texte passe par ILIKE et un index trigramme : des colonnes de texte seulement
  if (def.search && !TEXT_SEARCH_TYPES.has(type)) push(`${path}.search`, 'not_searchable', { types: [...TEXT_SEARCH_TYPES].join(', ') });
  for (const bound of ['min', 'max', 'maxLength'] as const) {
    if (body[bound] === undefined) continue;
    if (typeof body[bound] !== 'number' || !Number.isFinite(body[bound])) push(`${path}.${bound}`, 'invalid_type', { expected: 'number' });
    else def[bound] = body[bound];
  }
  if (typeof body.description === 'string') def.description = body.description.slice(0, 1000);
  const aiSuggest = parseAiSuggest(body.aiSuggest, type, `${path}.aiSuggest`, push);
  if (aiSuggest) def.aiSuggest = aiSuggest;
  const options = (body.options ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    push(`${path}.options`, 'invalid_type', { expected: 'object' });
    return def;
  }
  if (type === 'enum') {
    const values = options.values;
    const valid = Array.isArray(values) && values.length > 0 && values.length <= 500 &&
      values.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 100) && new Set(values).size === values.length;
    if (!valid) push(`${path}.options.values`, 'invalid_type', { expected: 'non-empty list of distinct strings' });
    else def.options = { values: values as string[] };
  }
  if (type === 'ref' || type === 'refs') {
    const to = options.to;
    if (typeof to !== 'string' || !catalog.get(to)) push(`${path}.options.to`, 'invalid_reference');
    else def.options = { to };
  }
  if ((type === 'decimal' || type === 'money') && (options.precision !== undefined || options.scale !== undefined)) {
    const { precision, scale } = options;
    const valid = Number.isInteger(precision) && (precision as number) >= 1 && (precision as number) <= 38 &&
      (scale === undefined || (Number.isInteger(scale) && (scale as number) >= 0 && (scale as number) <= (precision as number)));
    if (!valid) push(`${path}.options`, 'invalid_type', { expected: 'precision 1–38, scale 0–precision' });
    else def.options = { precision: precision as number, scale: (scale as number | undefined) ?? 0 };
  }
  if (body.default !== undefined) def.default = body.default;
  return def;
}

export class MetadataService {
  constructor(private readonly registry: EntityRegistry) {}

  async createEntity(trx: Tx, ctx: RequestContext, catalog: Catalog, body: unknown): Promise<EntityModel> {
    const errors: FieldError[] = [];
    const push: Push = (field, code, params) => errors.push({ field, code, message: message(ctx.locale, code, { field, ...params }) });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed([{ field: '', code: 'invalid_type', message: 'Expected a JSON object' }]);
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) if (!['name', 'label', 'fields', 'display'].includes(key)) push(key, 'unknown_field');
    const name = input.name;
    const problem = checkEntityName(name);
    if (problem) push('name', problem === 'reserved' ? 'reserved_name' : 'invalid_name', { extra: ', _' });
    else if (catalog.get(name as string)) throw new ProblemError(409, 'already_exists', `Entity "${String(name)}" already exists`, [{ field: 'name', code: 'already_exists', message: message(ctx.locale, 'already_exists') }]);
    const label = parseLabel(input.label, String(name), 'label', push);
    const rawFields = input.fields ?? {};
    const fields: Array<[string, FieldDefinition]> = [];
    if (typeof rawFields !== 'object' || rawFields === null) push('fields', 'invalid_type', { expected: 'object or array of fields' });
    else {
      const entries: Array<[string, unknown]> = Array.isArray(rawFields)
        ? rawFields.map((f, i) => [typeof f?.name === 'string' ? f.name : `#${i}`, f])
        : Object.entries(rawFields);
      if (entries.length > MAX_FIELDS) push('fields', 'too_large', { max: MAX_FIELDS });
      for (const [fieldName, raw] of entries.slice(0, MAX_FIELDS)) {
        const def = parseField(raw, fieldName, `fields.${fieldName}`, catalog, push);
        if (def) fields.push([fieldName, def]);
      }
    }
    if (input.display !== undefined && !fields.some(([n]) => n === input.display)) push('display', 'unknown_field', { field: String(input.display) });
    this.checkDefaults(fields, push);
    if (errors.length) throw validationFailed(errors);

    const entityName = name as string;
    const id = uuidv7();
    const table = `x_${tenantKey(ctx.tenantId)}_${entityName}`;
    await sql`INSERT INTO meta_entity (id, tenant_id, name, table_name, definition, created_by)
      VALUES (${id}, app_tenant(), ${entityName}, ${table}, ${JSON.stringify({ label, display: input.display })}::jsonb, app_user())`.execute(trx);
    for (const [fieldName, def] of fields) await this.insertField(trx, entityName, fieldName, toSnake(fieldName), def);
    const model = await this.applySchema(trx, entityName);
    await appendAudit(trx, ctx, [{ action: 'meta.entity_created', entity: 'meta_entity', recordId: id, changes: { name: entityName, label, fields: Object.fromEntries(fields) } }]);
    return model;
  }

  async addField(trx: Tx, ctx: RequestContext, catalog: Catalog, entityName: string, body: unknown): Promise<EntityModel> {
    const model = catalog.get(entityName);
    if (!model) throw notFound(`Unknown entity "${entityName}"`);
    const errors: FieldError[] = [];
    const push: Push = (field, code, params) => errors.push({ field, code, message: message(ctx.locale, code, { field, ...params }) });
    const name = (body as Record<string, unknown> | null)?.name;
    const def = parseField(body, typeof name === 'string' ? name : '', '', catalog, (field, code, params) => push(field.replace(/^\./, ''), code, params));
    if (def) this.checkDefaults([[name as string, def]], push);
    if (errors.length || !def) throw validationFailed(errors);
    const fieldName = name as string;
    if (model.byName.has(fieldName)) {
      throw new ProblemError(409, 'already_exists', `Field "${fieldName}" already exists`, [{ field: 'name', code: 'already_exists', message: message(ctx.locale, 'already_exists') }]);
    }
    // colonne propre au tenant sur une table partagée ; simple nom sur la table d'une entité personnalisée
    const base = model.custom ? toSnake(fieldName) : `x_${tenantKey(ctx.tenantId)}_${toSnake(fieldName)}`;
    const column = await this.freeColumn(trx, model.table, base);
    const id = await this.insertField(trx, entityName, fieldName, column, def);
    const updated = await this.applySchema(trx, entityName);
    await appendAudit(trx, ctx, [{ action: 'meta.field_created', entity: 'meta_field', recordId: id, changes: { entity: entityName, name: fieldName, definition: def } }]);
    return updated;
  }

  /** Change les options modifiables d'un champ personnalisé (aujourd'hui : la suggestion d'IA, `aiSuggest`). */
  async updateField(trx: Tx, ctx: RequestContext, catalog: Catalog, entityName: string, fieldName: string, body: unknown): Promise<EntityModel> {
    const field = catalog.get(entityName)?.byName.get(fieldName);
    if (!field || field.def.internal) throw notFound(`Unknown field "${entityName}.${fieldName}"`);
    if (!field.custom || !field.metaId) throw new ProblemError(409, 'not_custom', 'Only custom fields can be changed');
    const errors: FieldError[] = [];
    const push: Push = (name, code, params) => errors.push({ field: name, code, message: message(ctx.locale, code, { field: name, ...params }) });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed([{ field: '', code: 'invalid_type', message: 'Expected a JSON object' }]);
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) if (key !== 'aiSuggest') push(key, 'unknown_field', { field: key });
    const aiSuggest = parseAiSuggest(input.aiSuggest, field.type, 'aiSuggest', push);
    if (errors.length) throw validationFailed(errors);
    const { aiSuggest: before, ...rest } = field.def;
    const def: FieldDefinition = aiSuggest ? { ...rest, aiSuggest } : rest;
    // une option : ni table ni colonne ne changent, les nœuds rechargent seulement le catalogue
    await sql`UPDATE meta_field SET definition = ${JSON.stringify(def)}::jsonb WHERE id = ${field.metaId}`.execute(trx);
    await sql`SELECT pg_notify(${META_CHANNEL}, app_tenant()::text)`.execute(trx);
    const model = (await this.registry.loadCatalog(trx)).get(entityName)!;
    await appendAudit(trx, ctx, [{
      action: 'meta.field_updated', entity: 'meta_field', recordId: field.metaId,
      changes: { entity: entityName, name: fieldName, aiSuggest: { from: before ?? null, to: aiSuggest ?? null } },
    }]);
    return model;
  }

  /** Archive un champ personnalisé : il disparaît de l'API, la colonne et ses données restent. */
  async archiveField(trx: Tx, ctx: RequestContext, catalog: Catalog, entityName: string, fieldName: string): Promise<void> {
    const model = catalog.get(entityName);
    const field = model?.byName.get(fieldName);
    if (!model || !field || field.def.internal) throw notFound(`Unknown field "${entityName}.${fieldName}"`);
    if (!field.custom || !field.metaId) throw new ProblemError(409, 'not_custom', 'Only custom fields can be archived');
    await sql`UPDATE meta_field SET archived_at = now() WHERE id = ${field.metaId}`.execute(trx);
    await sql`SELECT pg_notify(${META_CHANNEL}, app_tenant()::text)`.execute(trx);
    await appendAudit(trx, ctx, [{ action: 'meta.field_archived', entity: 'meta_field', recordId: field.metaId, changes: { entity: entityName, name: fieldName } }]);
  }

  private checkDefaults(fields: Array<[string, FieldDefinition]>, push: Push): void {
    for (const [name, def] of fields) {
      if (def.default === undefined) continue;
      const ok = def.type === 'enum' ? def.options?.values?.includes(def.default as string)
        : def.type === 'boolean' ? typeof def.default === 'boolean'
          : def.type === 'integer' ? Number.isInteger(def.default)
            : ['string', 'text', 'email', 'url', 'phone'].includes(def.type) ? typeof def.default === 'string'
              : false;
      if (!ok) push(`fields.${name}.default`, 'invalid_value');
    }
  }

  private async insertField(trx: Tx, entity: string, name: string, column: string, def: FieldDefinition): Promise<string> {
    const id = uuidv7();
    // position : les champs gardent leur ordre de déclaration, les nouveaux viennent à la suite
    await sql`INSERT INTO meta_field (id, tenant_id, entity, name, column_name, definition, created_by, position)
      SELECT ${id}, app_tenant(), ${entity}, ${name}, ${column}, ${JSON.stringify(def)}::jsonb, app_user(), coalesce(max(position) + 1, 0)
      FROM meta_field WHERE entity = ${entity}`.execute(trx);
    return id;
  }

  private async freeColumn(trx: Tx, table: string, base: string): Promise<string> {
    const { rows } = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table}`.execute(trx);
    const taken = new Set(rows.map((r) => r.column_name).flatMap((c) => [c, c.replace(/_(amount|currency)$/, '')]));
    let column = base;
    for (let n = 2; taken.has(column); n++) column = `${base}_v${n}`;
    return column;
  }

  /** Reconstruit le catalogue (métadonnées non validées comprises) et applique le DDL en propriétaire. */
  private async applySchema(trx: Tx, entityName: string): Promise<EntityModel> {
    const catalog = await this.registry.loadCatalog(trx);
    const model = catalog.get(entityName)!;
    await asOwner(trx, async () => {
      await syncTable(trx, model);
      await syncForeignKeys(trx, model, (name) => catalog.get(name));
      await syncLinkTables(trx, model, (name) => catalog.get(name));
    });
    await sql`SELECT pg_notify(${META_CHANNEL}, app_tenant()::text)`.execute(trx);
    return model;
  }
}
