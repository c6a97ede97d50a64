// Schémas JSON (OpenAPI 3.1) des enregistrements d'une entité, dérivés de ses métadonnées.
import { exposedFields, type EntityModel, type FieldModel } from '../../engine/model.js';
import { SYSTEM_PROJECTION } from '../../engine/query/projection.js';
import { writableBy } from '../../engine/writers.js';

type Schema = Record<string, unknown>;

const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as string, 'null'] });

/** Nom de composant : PascalCase du nom d'entité (`sales_order` → `SalesOrder`). */
export function componentName(entity: string): string {
  return entity.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

const MONEY: Schema = {
  type: 'object',
  required: ['amount', 'currency'],
  additionalProperties: false,
  properties: { amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
};

export function fieldSchema(field: FieldModel): Schema {
  const d = field.def;
  const base: Schema = {};
  if (d.label) {
    base.title = d.label.en;
    if (d.label.fr) base['x-label-fr'] = d.label.fr;
  }
  if (d.description) base.description = d.description;
  const withBounds = (s: Schema): Schema => ({
    ...s,
    ...(d.min !== undefined ? { minimum: d.min } : {}),
    ...(d.max !== undefined ? { maximum: d.max } : {}),
  });
  switch (field.type) {
    case 'string': return { ...base, type: 'string', maxLength: d.maxLength ?? 255 };
    case 'text': return { ...base, type: 'string', maxLength: d.maxLength ?? 100_000 };
    case 'email': return { ...base, type: 'string', format: 'email' };
    case 'url': return { ...base, type: 'string', format: 'uri' };
    case 'phone': return { ...base, type: 'string', pattern: '^\\+?[0-9 ().-]{3,32}$' };
    case 'integer': return withBounds({ ...base, type: 'integer' });
    case 'decimal': return { ...base, type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description: 'Exact decimal sent as a string' };
    case 'money': return { ...base, ...MONEY };
    case 'boolean': return { ...base, type: 'boolean' };
    case 'date': return { ...base, type: 'string', format: 'date' };
    case 'datetime': return { ...base, type: 'string', format: 'date-time' };
    case 'enum': return { ...base, type: 'string', enum: d.options?.values ?? [] };
    case 'json': return { ...base };
    case 'ref': case 'file': return { ...base, type: 'string', format: 'uuid', ...(d.options?.to ? { 'x-ref-entity': d.options.to } : {}) };
    case 'refs': return { ...base, type: 'array', items: { type: 'string', format: 'uuid' }, ...(d.options?.to ? { 'x-ref-entity': d.options.to } : {}) };
    case 'tags': return { ...base, type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100 };
    case 'translatable': return { ...base, type: 'object', additionalProperties: { type: 'string' } };
    case 'computed': {
      const returns = d.options?.returns ?? 'string';
      const type = returns === 'integer' ? 'integer' : returns === 'boolean' ? 'boolean' : 'string';
      return { ...base, type, readOnly: true };
    }
    case 'children':
      return { ...base };
  }
}

const SYSTEM_SCHEMAS: Record<string, Schema> = {
  id: { type: 'string', format: 'uuid' },
  eid: { type: 'string', maxLength: 255 },
  version: { type: 'integer', minimum: 1 },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  deletedAt: { type: ['string', 'null'], format: 'date-time' },
  createdBy: { type: ['string', 'null'], format: 'uuid' },
  updatedBy: { type: ['string', 'null'], format: 'uuid' },
  deletedBy: { type: ['string', 'null'], format: 'uuid' },
  companyId: { type: ['string', 'null'], format: 'uuid' },
  siteId: { type: ['string', 'null'], format: 'uuid' },
};

/** Enregistrement tel que l'API le renvoie. */
export function recordSchema(model: EntityModel): Schema {
  const properties: Record<string, Schema> = {};
  for (const [name] of SYSTEM_PROJECTION) properties[name] = { ...SYSTEM_SCHEMAS[name], readOnly: name !== 'eid' };
  for (const field of exposedFields(model)) {
    const schema = fieldSchema(field);
    properties[field.name] = schema.type && field.type !== 'json' ? nullable(schema) : schema;
  }
  return {
    type: 'object',
    title: model.label.en,
    ...(model.label.fr ? { 'x-label-fr': model.label.fr } : {}),
    required: ['id', 'eid', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'],
    properties,
  };
}

/** Corps de création (champs obligatoires requis) ; `partial` pour PATCH. */
export function inputSchema(model: EntityModel, partial: boolean): Schema {
  const properties: Record<string, Schema> = { eid: SYSTEM_SCHEMAS.eid! };
  if (!partial) properties.id = { ...SYSTEM_SCHEMAS.id, description: 'Optional id; for a sub-entity, the id of an existing parent record to attach' };
  const required: string[] = [];
  for (const field of [...exposedFields(model), ...model.fields.filter((f) => f.def.writeOnly)]) {
    if (!writableBy(field, 'api')) continue;
    const schema = fieldSchema(field);
    properties[field.name] = field.def.required || !schema.type ? schema : nullable(schema);
    if (field.def.required && !partial && field.def.default === undefined) required.push(field.name);
  }
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}
