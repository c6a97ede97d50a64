// Outils de l'assistant, générés depuis les métadonnées : chercher, lire, agréger, proposer une écriture, ouvrir une
// vue. Chacun s'exécute COMME l'utilisateur (permissions, règles d'enregistrements et de champs de l'API REST) sur son
// catalogue vu (les champs masqués n'existent pas) ; les écritures ne sont que proposées et attendent sa confirmation.
// Les entités offertes sont celles que l'utilisateur peut lire (écrire, pour les propositions) : un outil hors de ses
// droits n'est pas même décrit au modèle.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { jsonSchema, tool, type JSONSchema7, type ToolSet } from 'ai';
import { sql } from 'kysely';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService, Row } from '../../engine/crud/service.js';
import { toProblem } from '../../engine/errors.js';
import type { EntityModel } from '../../engine/model.js';
import { AGGREGATE_FUNCTIONS, AGGREGATE_LIMITS } from '../../engine/query/aggregate.js';
import type { Catalog } from '../../engine/registry.js';
import type { TenantTx } from '../../engine/tenant-work.js';
import type { EntityAction } from '../../engine/access.js';
import { moduleCall } from '../../modules/context.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import { validationFailed } from '../../errors/problem.js';
import type { ProposalDraft, ProposalStore } from './proposals.js';

export interface AssistantToolDeps {
  records: RecordService;
  tenantTx: TenantTx;
  proposals: ProposalStore;
  /** outils déclarés par les modules actifs (`defineAiTool`) */
  modules?: Pick<ModuleRuntime, 'aiTools' | 'context'>;
}

/** Ce que les outils signalent à la conversation : enregistrements cités, propositions, vues à ouvrir. */
export interface ToolSink {
  cite(entity: string, row: Row): void;
  proposed(proposal: ProposalDraft & { id: string }): void;
  navigate(link: string): void;
}

export interface ToolScope {
  ctx: RequestContext;
  /** catalogue vu par l'utilisateur (sans ses champs masqués) */
  catalog: Catalog;
  /** conversation de l'assistant ; absente pour un client MCP */
  conversationId: string | null;
  sink: ToolSink;
}

export const SEARCH_LIMITS = { defaultRows: 10, maxRows: 50, maxText: 300 } as const;
const WRITE_ACTIONS = ['create', 'update', 'delete'] as const;

/** Lien de l'application vers un enregistrement ou une liste. */
export const recordLink = (entity: string, id?: string) => (id ? `/data/${entity}/${id}` : `/data/${entity}`);

/** Enregistrement tel que le modèle le lit : sans valeurs vides ni colonnes techniques, textes longs coupés. */
function compact(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined || key === 'version' || key === 'createdBy' || key === 'updatedBy' || key === 'deletedAt') continue;
    out[key] = typeof value === 'string' && value.length > SEARCH_LIMITS.maxText ? `${value.slice(0, SEARCH_LIMITS.maxText)}…` : value;
  }
  return out;
}

export function assistantTools(deps: AssistantToolDeps, scope: ToolScope): ToolSet {
  const { ctx, catalog, sink } = scope;
  const { records } = deps;
  const entitiesFor = (action: 'read' | (typeof WRITE_ACTIONS)[number]) =>
    catalog.all().filter((m) => records.allowed(ctx, catalog, m.name, action) && !(m.abstract && action === 'create')).map((m) => m.name);
  const readable = entitiesFor('read');
  const writable = [...new Set(WRITE_ACTIONS.flatMap((a) => entitiesFor(a)))];
  if (readable.length === 0) return {};

  /** Exécute comme l'utilisateur ; une erreur de l'API devient un message clair rendu au modèle (jamais un crash). */
  const asUser = async <T>(entity: string, action: 'read' | (typeof WRITE_ACTIONS)[number], work: (model: EntityModel) => Promise<T>): Promise<T> => {
    let model: EntityModel | undefined;
    try {
      model = records.entity(ctx, catalog, entity, action);
      return await work(model);
    } catch (error) {
      const problem = toProblem(error, ctx.locale, model);
      if (!problem) throw error;
      const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
      throw new Error(`${problem.status} ${problem.code}: ${problem.message}${fields ? ` (${fields})` : ''}`);
    }
  };
  const read = <T>(entity: string, work: (model: EntityModel) => Promise<T>) => asUser(entity, 'read', work);

  const entity = z.enum(readable as [string, ...string[]]).describe('Entity name');
  const filter = z.record(z.string(), z.unknown()).optional()
    .describe('JSON filter: {"field": value} or {"field": {"eq"|"neq"|"lt"|"lte"|"gt"|"gte"|"like"|"in"|"null"|"between": …}}, combined with {"and": […]}, {"or": […]}, {"not": …}; dotted paths follow references (e.g. "party.name")');

  const tools: ToolSet = {
    search_records: tool({
      description: 'Search records of an entity with a JSON filter and/or a free text, sorted; returns the total count and the first rows.',
      inputSchema: z.object({
        entity, filter,
        q: z.string().max(200).optional().describe('Free text searched in the searchable fields'),
        sort: z.string().max(200).optional().describe('Comma-separated fields, "-" for descending, e.g. "-createdAt"'),
        limit: z.number().int().min(1).max(SEARCH_LIMITS.maxRows).optional(),
      }),
      execute: ({ entity: name, filter: where, q, sort, limit }) => read(name, async (model) => {
        const result = await deps.tenantTx(ctx, (trx) => records.list(trx, ctx, catalog, model, {
          filter: where, q, sort, limit: limit ?? SEARCH_LIMITS.defaultRows, count: true,
        }));
        for (const row of result.data) sink.cite(name, row);
        return { entity: name, total: result.meta.count, records: result.data.map(compact) };
      }),
    }),
    get_record: tool({
      description: 'Read one record by id.',
      inputSchema: z.object({ entity, id: z.uuid() }),
      execute: ({ entity: name, id }) => read(name, async (model) => {
        const row = await deps.tenantTx(ctx, (trx) => records.get(trx, ctx, catalog, model, id));
        sink.cite(name, row);
        return compact(row);
      }),
    }),
    aggregate_records: tool({
      description: 'Count, sum, average, minimum or maximum of an entity’s records, optionally grouped by one or two fields, with a JSON filter.',
      inputSchema: z.object({
        entity, filter,
        measures: z.array(z.object({ fn: z.enum(AGGREGATE_FUNCTIONS), field: z.string().max(200).optional() })).min(1).max(AGGREGATE_LIMITS.maxMeasures),
        groupBy: z.array(z.string().max(200)).max(AGGREGATE_LIMITS.maxGroupBy).optional(),
        limit: z.number().int().min(1).max(AGGREGATE_LIMITS.maxGroups).optional(),
      }),
      execute: ({ entity: name, ...options }) => read(name, (model) =>
        deps.tenantTx(ctx, (trx) => records.aggregate(trx, ctx, catalog, model, options)).then((groups) => ({ entity: name, groups }))),
    }),
    open_view: tool({
      description: 'Open a list (optionally filtered) or a record in the user’s application.',
      inputSchema: z.object({ entity, id: z.uuid().optional() }),
      execute: async ({ entity: name, id }) => {
        const link = recordLink(name, id);
        sink.navigate(link);
        return { opened: link };
      },
    }),
  };

  Object.assign(tools, moduleTools(deps, scope));
  if (writable.length) {
    tools.propose_change = tool({
      description: 'Propose to create, update or delete a record. Nothing is written now: the user sees the proposal and confirms or cancels it.',
      inputSchema: z.object({
        action: z.enum(WRITE_ACTIONS),
        entity: z.enum(writable as [string, ...string[]]),
        id: z.uuid().optional().describe('Record to update or delete'),
        data: z.record(z.string(), z.unknown()).optional().describe('Field values to create or change'),
        summary: z.string().max(500).optional().describe('One sentence for the user, in their language'),
      }),
      execute: ({ action, entity: name, id, data, summary }) => asUser(name, action, async (model) => {
        if (action !== 'create' && !id) throw validationFailed([{ field: 'id', code: 'required', message: `${action} needs the record id` }]);
        if (action !== 'delete') {
          const { errors } = records.check(ctx, model, data ?? {}, action);
          if (errors.length) throw validationFailed(errors);
        }
        // la cible doit exister et être modifiable par l'utilisateur (ses règles d'enregistrements)
        if (id) await deps.tenantTx(ctx, (trx) => records.get(trx, ctx, catalog, model, id));
        const draft: ProposalDraft = {
          conversationId: scope.conversationId, action, entity: name, recordId: id ?? null,
          data: action === 'delete' ? null : (data ?? {}), summary: summary ?? null,
        };
        const proposalId = await deps.proposals.create(ctx, draft);
        sink.proposed({ ...draft, id: proposalId });
        return { proposalId, status: 'awaiting_user_confirmation' };
      }),
    });
  }
  return tools;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = new WeakMap<object, ValidateFunction>();

/** Schéma d'un outil de module, avec la validation de ses arguments (schéma compilé une fois par outil). */
function moduleSchema(declared: { input: Record<string, unknown> }) {
  let validate = validators.get(declared);
  if (!validate) validators.set(declared, (validate = ajv.compile(declared.input)));
  const check = validate;
  return jsonSchema<Record<string, unknown>>(declared.input as JSONSchema7, {
    validate: (value) => (check(value)
      ? { success: true, value: value as Record<string, unknown> }
      : { success: false, error: new Error(ajv.errorsText(check.errors)) }),
  });
}

/**
 * Outils des modules actifs du tenant, offerts sous `<module>_<nom>` si l'utilisateur a la permission déclarée ;
 * exécutés comme lui dans une transaction en lecture seule (l'écriture passe par une proposition, jamais par un outil).
 */
function moduleTools(deps: AssistantToolDeps, { ctx, catalog }: ToolScope): ToolSet {
  const tools: ToolSet = {};
  for (const { module, tool: declared } of deps.modules?.aiTools(catalog) ?? []) {
    if (declared.permission) {
      const [entity, action] = declared.permission.split(':') as [string, EntityAction];
      if (!deps.records.allowed(ctx, catalog, entity, action)) continue;
    }
    tools[`${module}_${declared.name}`] = tool({
      description: declared.description,
      inputSchema: moduleSchema(declared),
      execute: (input) => deps.tenantTx(ctx, async (trx) => {
        await sql`SET LOCAL transaction_read_only = on`.execute(trx);
        return moduleCall(() => declared.handler(input, deps.modules!.context(module, trx, ctx, catalog)));
      }),
    });
  }
  return tools;
}
