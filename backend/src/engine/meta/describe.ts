// Description publique d'une entité (API de métadonnées, interface, OpenAPI).
import type { FieldWriter } from '@opsflux/sdk';
import { exposedFields, type EntityModel, type FieldModel } from '../model.js';
import { writersOf } from '../writers.js';
import { aiSuggestOf } from './ai-suggest.js';

export interface FieldDescription {
  name: string;
  type: string;
  required: boolean;
  label: Record<string, string | undefined>;
  readOnly?: boolean;
  /** chemins génériques qui peuvent écrire le champ (`api`, `import`, `rules`) */
  writableBy: FieldWriter[];
  unique?: boolean;
  custom?: boolean;
  default?: unknown;
  options?: Record<string, unknown>;
  min?: number;
  max?: number;
  maxLength?: number;
  inheritedFrom?: string;
  /** suggestion d'IA offerte dans les fiches, avec la consigne éventuelle (voir FieldDefinition.aiSuggest) */
  aiSuggest?: { prompt?: string };
}

export function describeField(model: EntityModel, field: FieldModel): FieldDescription {
  const d = field.def;
  const out: FieldDescription = {
    name: field.name,
    type: field.type,
    required: Boolean(d.required),
    label: d.label ?? { en: field.name, fr: field.name },
    writableBy: [...writersOf(field)],
  };
  // lecture seule pour l'interface dès que l'API ne l'écrit pas
  if (!out.writableBy.includes('api')) out.readOnly = true;
  if (d.unique) out.unique = true;
  if (field.custom) out.custom = true;
  if (d.default !== undefined) out.default = d.default;
  if (d.min !== undefined) out.min = d.min;
  if (d.max !== undefined) out.max = d.max;
  if (d.maxLength !== undefined) out.maxLength = d.maxLength;
  if (d.options && Object.keys(d.options).length) {
    const { sql: _sql, ...publicOptions } = d.options;
    void _sql;
    if (Object.keys(publicOptions).length) out.options = publicOptions;
  }
  if (field.owner !== model.name) out.inheritedFrom = field.owner;
  const aiSuggest = aiSuggestOf(field);
  if (aiSuggest) out.aiSuggest = aiSuggest;
  return out;
}

export function describeEntity(model: EntityModel, visible: (field: FieldModel) => boolean = () => true) {
  return {
    name: model.name,
    label: model.label,
    module: model.module,
    extends: model.parent ?? null,
    scope: model.scope,
    abstract: model.abstract,
    custom: model.custom,
    display: model.display ?? null,
    fields: exposedFields(model).filter(visible).map((f) => describeField(model, f)),
  };
}
