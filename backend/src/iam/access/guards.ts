// Gardes de l'administration des accès : règles valides à l'écriture, et pas d'élévation de privilèges —
// attribuer des rôles, des membres ou des permissions demande le droit `admin` de l'entité ; personne (hors
// super-administrateur) ne change ses propres rôles ; seul un administrateur crée un rôle administrateur.
import { ENTITY_ACTIONS, type EntityAction } from '../../engine/access.js';
import type { RequestContext } from '../../engine/context.js';
import { compileFilter } from '../../engine/filter/index.js';
import { FilterError } from '../../engine/filter/types.js';
import type { EntityModel } from '../../engine/model.js';
import { PathResolver } from '../../engine/query/resolver.js';
import type { Catalog } from '../../engine/registry.js';
import type { HookBus, HookPayload } from '../../events/hooks.js';
import { ProblemError, validationFailed } from '../../errors/problem.js';
import { rolePolicy, RULE_VARIABLES } from './policy.js';

const forbidden = (detail: string) => new ProblemError(403, 'forbidden', detail);
const invalid = (field: string, code: string, message: string) => validationFailed([{ field, code, message }]);

/** Champs dont l'écriture demande le droit `admin` de l'entité. */
const PRIVILEGED: Record<string, string[]> = { user: ['roles'], group: ['members', 'roles'], role: ['permissions', 'admin', 'mfaRequired'] };

const isAdmin = (ctx: RequestContext) => ctx.system === true || ctx.access?.superAdmin === true || ctx.access?.admin === true;

function guardPrivileges({ ctx, entity, data, before }: HookPayload): void {
  if (ctx.system || !data) return;
  const touched = (PRIVILEGED[entity.name] ?? []).filter((f) => f in data);
  if (touched.length === 0) return;
  if (!rolePolicy.can(ctx, entity, 'admin')) throw forbidden(`Changing ${touched.join(', ')} requires the ${entity.name}:admin permission`);
  if (entity.name === 'user' && before?.id === ctx.userId && !ctx.access?.superAdmin) throw forbidden('You cannot change your own roles');
  if (entity.name === 'role' && data.admin === true && !isAdmin(ctx)) throw forbidden('Only an administrator may create an administrator role');
}

/** Valeurs d'exemple des variables, du bon type, pour compiler une règle à l'écriture. */
const SAMPLE_ID = '00000000-0000-7000-8000-000000000000';
const SAMPLE_VARIABLES = Object.fromEntries(RULE_VARIABLES.map((v) => [v, v.endsWith('Ids') ? [SAMPLE_ID] : SAMPLE_ID]));

function targetEntity(catalog: Catalog, name: unknown): EntityModel {
  const model = typeof name === 'string' ? catalog.get(name) : undefined;
  if (!model) throw invalid('entity', 'unknown_entity', `Unknown entity "${String(name)}"`);
  return model;
}

async function checkFieldRule(catalog: Catalog, { data, before }: HookPayload): Promise<void> {
  const row = { ...before, ...data };
  const model = targetEntity(catalog, row.entity);
  const field = model.byName.get(String(row.field));
  if (!field || field.def.internal) throw invalid('field', 'unknown_field', `Unknown field "${String(row.field)}" on ${model.name}`);
}

async function checkRecordRule(catalog: Catalog, { data, before }: HookPayload): Promise<void> {
  const row = { ...before, ...data };
  // les valeurs JSON validées arrivent sérialisées
  if (typeof row.filter === 'string') row.filter = JSON.parse(row.filter);
  const model = targetEntity(catalog, row.entity);
  const actions = (row.actions as string[] | null) ?? [];
  const wrong = actions.find((a) => !ENTITY_ACTIONS.includes(a as EntityAction));
  if (wrong) throw invalid('actions', 'invalid_value', `Unknown action "${wrong}"`);
  const unknownVariable = JSON.stringify(row.filter ?? null).match(/"\$user\.[A-Za-z]*"/g)?.map((v) => v.slice(1, -1)).find((v) => !RULE_VARIABLES.includes(v));
  if (unknownVariable) throw invalid('filter', 'unknown_variable', `Unknown variable "${unknownVariable}" (known: ${RULE_VARIABLES.join(', ')})`);
  try {
    const resolver = new PathResolver(model, catalog);
    if (!compileFilter(row.filter, { resolve: resolver.resolveTrusted, variables: SAMPLE_VARIABLES })) {
      throw invalid('filter', 'empty_filter', 'A record rule needs a non-empty filter');
    }
  } catch (error) {
    if (error instanceof FilterError) throw invalid(`filter.${error.path}`, error.code, error.message);
    throw error;
  }
}

export function installAccessGuards(hooks: HookBus, catalogOf: (tenantId: string) => Promise<Catalog>): void {
  for (const event of ['beforeCreate', 'beforeUpdate'] as const) {
    for (const entity of Object.keys(PRIVILEGED)) hooks.on(event, entity, guardPrivileges);
    hooks.on(event, 'field_rule', async (payload) => checkFieldRule(await catalogOf(payload.ctx.tenantId), payload));
    hooks.on(event, 'record_rule', async (payload) => checkRecordRule(await catalogOf(payload.ctx.tenantId), payload));
  }
}
