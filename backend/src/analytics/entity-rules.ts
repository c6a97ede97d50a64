// Contrôle des valeurs JSON des tableaux de bord (widgets, filtres globaux) et des indicateurs (requête) à l'écriture :
// une forme fausse est refusée avec les champs en cause, en français ou en anglais, avant d'être enregistrée.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { HookBus } from '../events/hooks.js';
import { validationFailed } from '../errors/problem.js';
import { schemaFieldErrors } from '../text/schema-errors.js';
import { ANALYTICS_PERIOD_PRESETS } from '@opsflux/sdk';
import { WIDGET_TYPES } from './entities.js';
import { ANALYTICS_QUERY_SCHEMA, fieldPath, isoDate } from './query-schema.js';

export const DASHBOARD_LIMITS = { maxWidgets: 40, gridColumns: 12, maxRows: 200 } as const;

const text = { type: 'string', maxLength: 200 };
const uuid = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' };

const WIDGET_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['id', 'type', 'x', 'y', 'w', 'h'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    type: { enum: [...WIDGET_TYPES] },
    title: { type: 'object', additionalProperties: false, properties: { en: text, fr: text } },
    x: { type: 'integer', minimum: 0, maximum: DASHBOARD_LIMITS.gridColumns - 1 },
    y: { type: 'integer', minimum: 0, maximum: DASHBOARD_LIMITS.maxRows },
    w: { type: 'integer', minimum: 1, maximum: DASHBOARD_LIMITS.gridColumns },
    h: { type: 'integer', minimum: 1, maximum: 40 },
    /** requête d'analyse du widget (tous les types) */
    query: ANALYTICS_QUERY_SCHEMA,
    /** champ date auquel s'applique la période des filtres globaux */
    dateField: fieldPath,
    /** indicateur affiché par une tuile KPI */
    kpi: uuid,
    /** série prolongée par une prévision de N périodes */
    forecast: { type: 'integer', minimum: 1, maximum: 60 },
  },
};

export const DASHBOARD_FILTERS_SCHEMA = {
  type: 'object', additionalProperties: false,
  properties: {
    period: {
      type: 'object', additionalProperties: false,
      properties: { preset: { enum: [...ANALYTICS_PERIOD_PRESETS] }, from: isoDate, to: isoDate },
    },
    companyId: uuid,
    siteId: uuid,
  },
};

// formats contrôlés par leur motif ; les dates réelles (30 février) sont vérifiées à l'exécution de la requête
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/, uuid: /^[0-9a-fA-F-]{36}$/ } });
const validators = {
  widgets: ajv.compile({ type: 'array', maxItems: DASHBOARD_LIMITS.maxWidgets, items: WIDGET_SCHEMA }),
  filters: ajv.compile(DASHBOARD_FILTERS_SCHEMA),
  query: ajv.compile(ANALYTICS_QUERY_SCHEMA),
};

type HookArgs = Parameters<Parameters<HookBus['on']>[2]>[0];

/** Valeur JSON écrite (une valeur validée arrive sérialisée), ou undefined quand le champ n'est pas écrit. */
function written(data: Record<string, unknown>, field: string): unknown {
  const raw = data[field];
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === 'string' ? JSON.parse(raw) : raw;
}

function check(fields: Array<keyof typeof validators>) {
  return ({ data, ctx }: HookArgs) => {
    const errors = fields.flatMap((field) => {
      const value = written(data!, field);
      if (value === undefined) return [];
      const validate = validators[field];
      return validate(value) ? [] : schemaFieldErrors(validate.errors, field, ctx.locale);
    });
    if (errors.length) throw validationFailed(errors);
  };
}

export function installAnalyticsRules(hooks: HookBus): void {
  const dashboard = check(['widgets', 'filters']);
  hooks.on('beforeCreate', 'dashboard', dashboard);
  hooks.on('beforeUpdate', 'dashboard', dashboard);
  const kpi = check(['query']);
  hooks.on('beforeCreate', 'kpi', kpi);
  hooks.on('beforeUpdate', 'kpi', kpi);
}
