// Domaine de l'IA : passerelle vers les fournisseurs (routage, repli, budgets et comptabilité), assistant (outils
// générés depuis les métadonnées, conversations, écritures proposées puis confirmées), serveur MCP, action `ai` des
// règles d'automatisation (travail, suggestions avec provenance et file d'approbation), suggestions sur les champs
// des fiches.
import { Assistant } from '../../ai/assistant/assistant.js';
import { ConversationStore } from '../../ai/assistant/conversations.js';
import { ProposalStore } from '../../ai/assistant/proposals.js';
import { aiRuleAction } from '../../ai/automation/rule-action.js';
import { registerAiRuleJob } from '../../ai/automation/rule-job.js';
import { SuggestionStore } from '../../ai/automation/suggestions.js';
import { FieldSuggestions } from '../../ai/field-suggestions.js';
import { AiGateway } from '../../ai/gateway.js';
import { McpEndpoint } from '../../ai/mcp.js';
import type { LocalToolRegistry } from '../../ai/local/tools.js';
import { AiUsage } from '../../ai/usage.js';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { FileService } from '../../services/files/file-service.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import type { HookRules } from '../../services/automation/hook-rules.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import type { PlatformServices } from '../services.js';

export interface AiAreaDeps {
  db: Db;
  settings: Settings;
  outbound: Pick<Outbound, 'fetch'>;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  jobs: JobQueue;
  hookRules: HookRules;
  moduleRuntime: ModuleRuntime;
  files: Pick<FileService, 'find' | 'store' | 'list'>;
  /** outils de l'intelligence locale, inscrits après l'assemblage de la passerelle (wireLocalAi) */
  local: LocalToolRegistry;
}

export function wireAi(deps: AiAreaDeps): Pick<PlatformServices, 'ai' | 'aiUsage' | 'assistant' | 'aiProposals' | 'mcp' | 'aiSuggestions' | 'fieldSuggestions'> {
  const aiUsage = new AiUsage(deps);
  const ai = new AiGateway({ settings: deps.settings, outbound: deps.outbound, usage: aiUsage });
  const aiProposals = new ProposalStore({ ...deps, modules: deps.moduleRuntime });
  const conversations = new ConversationStore(deps);
  const modules = deps.moduleRuntime;
  const assistant = new Assistant({ ...deps, modules, gateway: ai, conversations, proposals: aiProposals });
  const mcp = new McpEndpoint({ ...deps, modules, proposals: aiProposals });
  const aiSuggestions = new SuggestionStore(deps);
  registerAiRuleJob({ jobs: deps.jobs, files: deps.files, gateway: ai, catalog: deps.catalog, suggestions: aiSuggestions });
  deps.hookRules.defineAction('ai', aiRuleAction(deps.jobs));
  const fieldSuggestions = new FieldSuggestions({ ...deps, gateway: ai });
  return { ai, aiUsage, assistant, aiProposals, mcp, aiSuggestions, fieldSuggestions };
}
