// Domaine de l'intelligence locale (ai/local) : des capacités qui marchent sans fournisseur ni réseau, sur la base
// embarquée — chacune derrière l'interface de la passerelle d'IA, qu'un fournisseur configuré peut relayer. Chaque
// capacité s'assemble ici (une ligne), inscrit ses outils pour l'assistant et rend ses services aux routes.
import type { LocalToolRegistry } from '../../ai/local/tools.js';
import { NlQueryService } from '../../ai/local/nl-query/service.js';
import { LocalAssistant } from '../../ai/local/nl-query/local-assistant.js';
import type { AiGateway } from '../../ai/gateway.js';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { FileService } from '../../services/files/file-service.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { JobSchedules } from '../../services/jobs/schedules.js';
import type { NotificationService } from '../../services/notifications/service.js';
import type { HookRules } from '../../services/automation/hook-rules.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import type { PlatformServices } from '../services.js';
import { OptimiseService } from '../../ai/local/optimise/service.js';
import { RecommendService } from '../../ai/local/recommend/service.js';
import { recommendTools } from '../../ai/local/recommend/tools.js';
import { registerRecommendTraining } from '../../ai/local/recommend/train-job.js';
import { KnowledgeGraph } from '../../ai/local/graph/service.js';
import { graphTools } from '../../ai/local/graph/tools.js';
import { ProcessMining } from '../../ai/local/process/service.js';
import { processTools } from '../../ai/local/process/tools.js';
import { ForecastService } from '../../ai/local/forecast/service.js';
import { forecastTool } from '../../ai/local/forecast/tool.js';
import { AnomalyService } from '../../ai/local/anomaly/service.js';
import { registerAnomalyJobs } from '../../ai/local/anomaly/jobs.js';
import { findAnomaliesTool } from '../../ai/local/anomaly/tool.js';
import { DocumentService } from '../../ai/local/documents/service.js';
import { registerDocumentJob } from '../../ai/local/documents/job.js';
import { readDocumentTool } from '../../ai/local/documents/tool.js';
import type { ToolScope } from '../../ai/assistant/tools.js';
import type { OutboxDispatcher } from '../../events/outbox.js';
import type { HookBus } from '../../events/hooks.js';
import type { Preferences } from '../../iam/preferences.js';
import { NlpService } from '../../ai/local/nlp/service.js';
import { installNlpJob } from '../../ai/local/nlp/job.js';
import { nlpTool } from '../../ai/local/nlp/tool.js';
import { PredictService } from '../../ai/local/predict/service.js';
import { installPredictJobs } from '../../ai/local/predict/jobs.js';
import { LEARNING_PREFERENCES } from '../../ai/local/predict/settings.js';

export interface LocalAiAreaDeps {
  db: Db;
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  jobs: JobQueue;
  schedules: JobSchedules;
  notifications: NotificationService;
  files: FileService;
  hookRules: HookRules;
  moduleRuntime: ModuleRuntime;
  /** passerelle d'IA : un fournisseur configuré peut relayer une capacité locale */
  gateway: AiGateway;
  /** outils de l'assistant : chaque capacité y inscrit sa fabrique */
  tools: LocalToolRegistry;
  /** événements d'écriture des enregistrements (notation des anomalies) */
  dispatcher: OutboxDispatcher;
  /** crochets d'écriture (analyse des textes après écriture, oubli des habitudes d'un utilisateur) */
  hooks: HookBus;
  /** préférences utilisateur (apprentissage des habitudes de saisie) */
  preferences: Preferences;
}

/** Services de l'intelligence locale rendus à la plateforme. */
export type LocalAiServices = Pick<PlatformServices, 'knowledgeGraph' | 'processMining' | 'recommend' | 'optimise' | 'nlQuery' | 'localAssistant' | 'forecasts' | 'anomalies' | 'documents' | 'nlp' | 'predictions'>;

export function wireLocalAi(deps: LocalAiAreaDeps): LocalAiServices {
  const recommend = new RecommendService(deps);
  registerRecommendTraining({ ...deps, recommend });
  deps.tools.push(recommendTools(recommend));
  const optimise = new OptimiseService(deps.settings);
  const knowledgeGraph = new KnowledgeGraph(deps);
  const processMining = new ProcessMining(deps);
  deps.tools.push(graphTools(knowledgeGraph), processTools(processMining));
  const nlQuery = new NlQueryService(deps);
  const localAssistant = new LocalAssistant({ nlQuery, settings: deps.settings });
  // prévisions et anomalies : outils offerts à qui lit au moins une entité
  const readsSomething = ({ ctx, catalog }: ToolScope) => catalog.all().some((m) => deps.records.allowed(ctx, catalog, m.name, 'read'));
  const forecasts = new ForecastService(deps);
  const anomalies = new AnomalyService(deps);
  registerAnomalyJobs({ ...deps, anomalies });
  deps.tools.push(forecastTool(forecasts, readsSomething), findAnomaliesTool(anomalies, readsSomething));
  const documents = new DocumentService(deps);
  registerDocumentJob(deps);
  deps.tools.push(readDocumentTool(documents));
  const nlp = new NlpService(deps);
  installNlpJob(deps);
  deps.tools.push(nlpTool(nlp));
  deps.preferences.declare(...LEARNING_PREFERENCES);
  const predictions = new PredictService(deps);
  installPredictJobs({ ...deps, predict: predictions });
  return { recommend, optimise, knowledgeGraph, processMining, nlQuery, localAssistant, forecasts, anomalies, documents, nlp, predictions };
}
