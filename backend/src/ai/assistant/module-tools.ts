// Outils des modules actifs du tenant (`defineAiTool`), offerts sous `<module>_<nom>` à qui a leur permission déclarée,
// arguments validés par leur schéma JSON. Un outil de lecture s'exécute comme l'utilisateur dans une transaction en
// lecture seule ; une action (`effect: 'write'`) n'est qu'une proposition : elle s'exécute quand l'utilisateur confirme,
// avec ses droits de ce moment (permission vérifiée de nouveau, module toujours actif).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { jsonSchema, tool, type JSONSchema7, type ToolSet } from 'ai';
import { sql } from 'kysely';
import type { ModuleAiTool } from '@opsflux/sdk';
import type { EntityAction } from '../../engine/access.js';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Catalog } from '../../engine/registry.js';
import type { Tx } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';
import { moduleCall } from '../../modules/context.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import type { AssistantToolDeps, ToolScope } from './tools.js';

export type ModuleTools = Pick<ModuleRuntime, 'aiTools' | 'context'>;

interface Offered {
  /** nom offert au modèle : `<module>_<nom>` */
  name: string;
  module: string;
  declared: ModuleAiTool;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = new WeakMap<object, ValidateFunction>();

/** Validation des arguments d'un outil (schéma compilé une fois par outil). */
function validator(declared: ModuleAiTool): ValidateFunction {
  let validate = validators.get(declared);
  if (!validate) validators.set(declared, (validate = ajv.compile(declared.input)));
  return validate;
}

function moduleSchema(declared: ModuleAiTool) {
  const check = validator(declared);
  return jsonSchema<Record<string, unknown>>(declared.input as JSONSchema7, {
    validate: (value) => (check(value)
      ? { success: true, value: value as Record<string, unknown> }
      : { success: false, error: new Error(ajv.errorsText(check.errors)) }),
  });
}

/** Outils des modules que cet utilisateur peut appeler (permission déclarée accordée). */
function offered(modules: ModuleTools | undefined, records: RecordService, ctx: RequestContext, catalog: Catalog): Offered[] {
  return (modules?.aiTools(catalog) ?? [])
    .filter(({ tool: declared }) => {
      if (!declared.permission) return true;
      const [entity, action] = declared.permission.split(':') as [string, EntityAction];
      return records.allowed(ctx, catalog, entity, action);
    })
    .map(({ module, tool: declared }) => ({ name: `${module}_${declared.name}`, module, declared }));
}

export function moduleTools(deps: AssistantToolDeps, { ctx, catalog, conversationId, sink }: ToolScope): ToolSet {
  const tools: ToolSet = {};
  for (const { name, module, declared } of offered(deps.modules, deps.records, ctx, catalog)) {
    tools[name] = declared.effect === 'write'
      ? tool({
        description: `${declared.description} Proposed to the user, who confirms before it runs.`,
        inputSchema: moduleSchema(declared),
        execute: async (input) => {
          const draft = { conversationId, action: 'run' as const, entity: name, recordId: null, data: input, summary: null };
          const proposalId = await deps.proposals.create(ctx, draft);
          sink.proposed({ ...draft, id: proposalId });
          return { proposalId, status: 'awaiting_user_confirmation' };
        },
      })
      : tool({
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

/** Exécute l'action confirmée d'un module, dans la transaction d'écriture de la confirmation. */
export async function runModuleAction(
  deps: { modules?: ModuleTools; records: RecordService }, trx: Tx, ctx: RequestContext, catalog: Catalog, name: string, input: Record<string, unknown>,
): Promise<unknown> {
  const action = offered(deps.modules, deps.records, ctx, catalog).find((t) => t.name === name && t.declared.effect === 'write');
  if (!action) throw new ProblemError(409, 'proposal_stale', 'This module action is no longer offered to you (module deactivated or permission withdrawn)');
  // arguments validés de nouveau : la proposition a pu être faite avant une mise à jour du module
  const check = validator(action.declared);
  if (!check(input)) throw new ProblemError(409, 'proposal_stale', `The proposed arguments no longer fit this action: ${ajv.errorsText(check.errors)}`);
  return moduleCall(() => action.declared.handler(input, deps.modules!.context(action.module, trx, ctx, catalog)));
}
