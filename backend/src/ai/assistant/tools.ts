// Outils de l'assistant, générés depuis les métadonnées : décrire une entité, chercher, lire, agréger, proposer une
// écriture, ouvrir une vue. Chacun s'exécute COMME l'utilisateur (permissions, règles d'enregistrements et de champs
// de l'API REST) sur son catalogue vu (les champs masqués n'existent pas) ; les écritures ne sont que proposées et
// attendent sa confirmation. Les entités lisibles sont énumérées une seule fois (`search_records`), les écrivables dans
// `propose_change`, offert seulement à qui peut écrire ; les autres outils prennent un nom vérifié à l'exécution contre
// ses droits. Définitions et résultats sont tenus courts : ils repartent au modèle à chaque étape.
import { jsonSchema, tool, type JSONSchema7, type ToolSet } from 'ai';
import { z } from 'zod';
import type { Settings } from '../../config/settings.js';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService, Row } from '../../engine/crud/service.js';
import type { EntityModel } from '../../engine/model.js';
import { FILTER_OPERATORS } from '../../engine/filter/types.js';
import { AGGREGATE_FUNCTIONS, AGGREGATE_LIMITS } from '../../engine/query/aggregate.js';
import type { Catalog } from '../../engine/registry.js';
import type { TenantTx } from '../../engine/tenant-work.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import { validationFailed } from '../../errors/problem.js';
import type { ProposalDraft, ProposalStore } from './proposals.js';
import { moduleTools } from './module-tools.js';
import { localTools, type LocalToolFactory } from '../local/tools.js';
import { toolError } from '../local/tool-errors.js';
import { compactRow, describeEntity, SEARCH_LIMITS, searchColumns } from './rows.js';

export interface AssistantToolDeps {
  records: RecordService;
  tenantTx: TenantTx;
  proposals: ProposalStore;
  /** outils déclarés par les modules actifs (`defineAiTool`) */
  modules?: Pick<ModuleRuntime, 'aiTools' | 'context'>;
  /** outils des capacités d'intelligence locale (ai/local) */
  local?: readonly LocalToolFactory[];
}

/** Les outils que le tenant propose (réglage `ai.assistantDisabledTools` : les autres sont écartés). */
export async function offeredTools(tools: ToolSet, settings: Pick<Settings, 'value'>, tenantId: string): Promise<ToolSet> {
  const disabled = new Set(await settings.value<string[]>('ai.assistantDisabledTools', { tenantId }));
  return disabled.size ? Object.fromEntries(Object.entries(tools).filter(([name]) => !disabled.has(name))) : tools;
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

const WRITE_ACTIONS = ['create', 'update', 'delete'] as const;

/** Lien de l'application vers un enregistrement ou une liste. */
export const recordLink = (entity: string, id?: string) => (id ? `/data/${entity}/${id}` : `/data/${entity}`);

/** Identifiant d'enregistrement : vérifié par zod, annoncé au modèle par `format` seul (sans la longue expression). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const recordId = () => z.string().regex(UUID, 'must be a record id (uuid)').meta({ format: 'uuid' });

/** Allège le JSON Schema tiré de zod de ce qui n'aide pas le modèle (`$schema`, `pattern` d'un uuid, `propertyNames`). */
function tidy(node: Record<string, unknown>): Record<string, unknown> {
  delete node.$schema;
  if (node.format === 'uuid') delete node.pattern;
  if (node.type === 'object') {
    delete node.propertyNames;
    if (node.properties) {
      node.additionalProperties ??= false;
      for (const child of Object.values(node.properties as Record<string, Record<string, unknown>>)) tidy(child);
    } else if (node.additionalProperties && typeof node.additionalProperties === 'object' && !Object.keys(node.additionalProperties).length) {
      delete node.additionalProperties;
    }
  }
  if (node.items && typeof node.items === 'object') tidy(node.items as Record<string, unknown>);
  return node;
}

/** Schéma d'un outil du cœur : JSON Schema allégé (calculé au premier usage), arguments validés par zod. */
export function toolSchema<T>(schema: z.ZodType<T>) {
  return jsonSchema<T>(() => tidy(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>) as JSONSchema7, {
    validate: (value) => {
      const checked = z.safeParse(schema, value);
      return checked.success ? { success: true, value: checked.data } : { success: false, error: checked.error };
    },
  });
}

export function assistantTools(deps: AssistantToolDeps, scope: ToolScope): ToolSet {
  const { ctx, catalog, sink } = scope;
  const { records } = deps;
  /** l'utilisateur peut-il faire l'action sur l'entité (une entité abstraite ne se crée pas) */
  const may = (model: EntityModel, action: 'read' | (typeof WRITE_ACTIONS)[number]) =>
    records.allowed(ctx, catalog, model.name, action) && !(model.abstract && action === 'create');
  const entitiesFor = (action: 'read' | (typeof WRITE_ACTIONS)[number]) => catalog.all().filter((m) => may(m, action)).map((m) => m.name);
  const readable = entitiesFor('read');
  const writable = [...new Set(WRITE_ACTIONS.flatMap((a) => entitiesFor(a)))];
  if (readable.length === 0) return {};

  /**
   * Exécute comme l'utilisateur : l'entité (un simple texte hors de `search_records` et `propose_change`) doit lui
   * être permise pour l'action, sinon 404 ou 403 ; une erreur de l'API devient un message clair rendu au modèle.
   */
  const asUser = async <T>(entity: string, action: 'read' | (typeof WRITE_ACTIONS)[number], work: (model: EntityModel) => Promise<T>): Promise<T> => {
    let model: EntityModel | undefined;
    try {
      model = records.entity(ctx, catalog, entity, action);
      return await work(model);
    } catch (error) {
      throw toolError(error, ctx.locale, model);
    }
  };
  const read = <T>(entity: string, work: (model: EntityModel) => Promise<T>) => asUser(entity, 'read', work);

  // la liste des entités n'est donnée qu'une fois (search_records) : les autres outils la vérifient à l'exécution
  const entity = z.string().max(100);
  const filter = z.record(z.string(), z.unknown()).optional();
  const filterSyntax = `JSON filter: {field: value} or {field: {op: value}}, op: ${FILTER_OPERATORS.join(' ')} (in, nin, between take arrays; `
    + 'null takes true|false; like, ilike take % patterns); combine with {and: […]}, {or: […]}, {not: …}; dotted paths follow references (party.name)';

  const tools: ToolSet = {
    describe_entity: tool({
      description: 'An entity’s fields (type, reference target, enum values, label), display and searchable fields, and your rights on it. '
        + 'Every entity also has id, eid, createdAt, updatedAt.',
      inputSchema: toolSchema(z.object({ entity })),
      execute: ({ entity: name }) => read(name, async (model) =>
        describeEntity(model, ctx.locale, ['read', ...WRITE_ACTIONS.filter((a) => may(model, a))])),
    }),
    search_records: tool({
      description: 'Search an entity: total count and the first rows (id, display field, key fields, fields filtered, sorted or searched; more with `fields`).',
      inputSchema: toolSchema(z.object({
        entity: z.enum(readable as [string, ...string[]]),
        filter: filter.describe(filterSyntax),
        q: z.string().max(200).optional().describe('Free text in the searchable fields'),
        sort: z.string().max(200).optional().describe('Comma-separated fields, "-" descending'),
        fields: z.array(z.string().max(100)).max(SEARCH_LIMITS.maxFields).optional().describe('More fields to return; ["*"] for all'),
        limit: z.number().int().min(1).max(SEARCH_LIMITS.maxRows).optional().describe(`Default ${SEARCH_LIMITS.defaultRows}`),
      })),
      execute: ({ entity: name, filter: where, q, sort, fields, limit }) => read(name, async (model) => {
        const result = await deps.tenantTx(ctx, (trx) => records.list(trx, ctx, catalog, model, {
          filter: where, q, sort, fields: searchColumns(model, { filter: where, sort, q, fields }),
          limit: limit ?? SEARCH_LIMITS.defaultRows, count: true,
        }));
        for (const row of result.data) sink.cite(name, row);
        return { entity: name, total: result.meta.count, records: result.data.map(compactRow) };
      }),
    }),
    get_record: tool({
      description: 'Read one record by id, all its fields.',
      inputSchema: toolSchema(z.object({ entity, id: recordId() })),
      execute: ({ entity: name, id }) => read(name, async (model) => {
        const row = await deps.tenantTx(ctx, (trx) => records.get(trx, ctx, catalog, model, id));
        sink.cite(name, row);
        return compactRow(row);
      }),
    }),
    aggregate_records: tool({
      description: 'Count, sum, avg, min or max of an entity’s records, optionally grouped by one or two fields (dotted paths allowed).',
      inputSchema: toolSchema(z.object({
        entity,
        filter: filter.describe('JSON filter, as in search_records'),
        measures: z.array(z.object({ fn: z.enum(AGGREGATE_FUNCTIONS), field: z.string().max(200).optional() })).min(1).max(AGGREGATE_LIMITS.maxMeasures),
        groupBy: z.array(z.string().max(200)).max(AGGREGATE_LIMITS.maxGroupBy).optional(),
        limit: z.number().int().min(1).max(AGGREGATE_LIMITS.maxGroups).optional(),
      })),
      execute: ({ entity: name, ...options }) => read(name, (model) =>
        deps.tenantTx(ctx, (trx) => records.aggregate(trx, ctx, catalog, model, options)).then((groups) => ({ entity: name, groups }))),
    }),
    open_view: tool({
      description: 'Open a list or a record in the user’s application.',
      inputSchema: toolSchema(z.object({ entity, id: recordId().optional() })),
      // une entité que l'utilisateur ne lit pas n'est pas ouverte (le lien mènerait à un refus)
      execute: ({ entity: name, id }) => read(name, async () => {
        const link = recordLink(name, id);
        sink.navigate(link);
        return { opened: link };
      }),
    }),
  };

  Object.assign(tools, moduleTools(deps, scope), localTools(deps.local, scope));
  if (writable.length) {
    tools.propose_change = tool({
      description: 'Propose to create, update or delete a record; nothing is written until the user confirms.',
      inputSchema: toolSchema(z.object({
        action: z.enum(WRITE_ACTIONS),
        entity: z.enum(writable as [string, ...string[]]),
        id: recordId().optional().describe('Record to update or delete'),
        data: z.record(z.string(), z.unknown()).optional().describe('Field values to create or change'),
        summary: z.string().max(500).optional().describe('One sentence for the user, in their language'),
      })),
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
