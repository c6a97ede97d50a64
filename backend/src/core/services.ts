// Services que la racine de composition assemble, tels que les couches d'entrée (routes HTTP, banc de modules) les
// demandent : chacune déclare `Pick<PlatformServices, …>` des seuls services qu'elle utilise, sans importer la
// plateforme (ESLint le refuse hors de core/platform.ts et de la face publique).
import type { AnalyticsService } from '../analytics/service.js';
import type { KpiService } from '../analytics/kpis.js';
import type { DashboardRunner } from '../analytics/dashboard-run.js';
import type { QualityService } from '../analytics/quality/service.js';
import type { ReportService } from '../analytics/reports/service.js';
import type { ChangeFeed } from '../events/change-feed.js';
import type { Assistant } from '../ai/assistant/assistant.js';
import type { ProposalStore } from '../ai/assistant/proposals.js';
import type { SuggestionStore } from '../ai/automation/suggestions.js';
import type { FieldSuggestions } from '../ai/field-suggestions.js';
import type { AiGateway } from '../ai/gateway.js';
import type { McpEndpoint } from '../ai/mcp.js';
import type { AiUsage } from '../ai/usage.js';
import type { AuditChainer } from '../audit/chainer.js';
import type { Settings } from '../config/settings.js';
import type { Db } from '../db/database.js';
import type { RecordService } from '../engine/crud/service.js';
import type { MetadataService } from '../engine/meta/service.js';
import type { EntityRegistry } from '../engine/registry.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../engine/tenant-work.js';
import type { HookBus } from '../events/hooks.js';
import type { OutboxDispatcher } from '../events/outbox.js';
import type { AccessProfiles } from '../iam/access/store.js';
import type { AccountMail } from '../iam/account-mail.js';
import type { ApiKeys } from '../iam/api-keys/api-keys.js';
import type { AuthService } from '../iam/auth-service.js';
import type { MfaService } from '../iam/mfa.js';
import type { PersonalTokens } from '../iam/personal-tokens.js';
import type { Preferences } from '../iam/preferences.js';
import type { NlpService } from '../ai/local/nlp/service.js';
import type { PredictService } from '../ai/local/predict/service.js';
import type { IdentityProviders } from '../iam/providers.js';
import type { DirectorySyncScheduler } from '../iam/sso/directory-sync.js';
import type { OidcFlows } from '../iam/sso/oidc-flow.js';
import type { SamlFlows } from '../iam/sso/saml-flow.js';
import type { SecondFactorStep } from '../iam/sso/second-factor-step.js';
import type { TokenSigner } from '../iam/tokens.js';
import type { NlQueryService } from '../ai/local/nl-query/service.js';
import type { LocalAssistant } from '../ai/local/nl-query/local-assistant.js';
import type { ForecastService } from '../ai/local/forecast/service.js';
import type { AnomalyService } from '../ai/local/anomaly/service.js';
import type { DocumentService } from '../ai/local/documents/service.js';
import type { PlatformKeys } from '../keys/platform-keys.js';
import type { SecretBox } from '../keys/secret-box.js';
import type { ModuleCatalog } from '../modules/catalog.js';
import type { LicenceScheduler } from '../modules/licence-scheduler.js';
import type { ModuleManager } from '../modules/manager.js';
import type { ModuleRuntime } from '../modules/runtime.js';
import type { ModuleTaskScheduler } from '../modules/tasks.js';
import type { HookRules } from '../services/automation/hook-rules.js';
import type { EmailService } from '../services/email/email-service.js';
import type { Mailer } from '../services/email/transport/mailer.js';
import type { ErrorLog } from '../services/errors/error-log.js';
import type { FileService } from '../services/files/file-service.js';
import type { ImportService } from '../services/import-export/import-service.js';
import type { JobAdmin } from '../services/jobs/job-admin.js';
import type { JobQueue } from '../services/jobs/queue.js';
import type { JobSchedules } from '../services/jobs/schedules.js';
import type { NotificationService } from '../services/notifications/service.js';
import type { Outbound } from '../services/outbound/outbound.js';
import type { RatesScheduler } from '../services/reference/rates-fetcher.js';
import type { ShortLinks } from '../services/shortener/short-links.js';
import type { Webhooks } from '../services/webhooks/webhooks.js';
import type { OptimiseService } from '../ai/local/optimise/service.js';
import type { RecommendService } from '../ai/local/recommend/service.js';
import type { KnowledgeGraph } from '../ai/local/graph/service.js';
import type { ProcessMining } from '../ai/local/process/service.js';

/** Base, catalogues et transaction de requête : le travail dans un tenant. */
export interface TenantServices {
  db: Db;
  registry: EntityRegistry;
  /** catalogue complet d'un tenant (permissions et données de référence créées à sa première apparition) */
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  tenantTx: TenantTx;
  /** droits d'un tenant changés hors du service générique : tous les nœuds recalculent les profils */
  accessChanged(tenantId: string): Promise<void>;
  /** après un commit d'écriture hors de `tenantTx` : audit à chaîner, événements à distribuer */
  afterCommit(): void;
}

export interface PlatformServices extends TenantServices {
  /** adresse publique de la plateforme (liens des courriels, liens courts, retours SSO) */
  publicUrl: string;
  /** vrai de la fin de l'assemblage à la fermeture */
  readonly ready: boolean;
  // moteur
  hooks: HookBus;
  records: RecordService;
  meta: MetadataService;
  dispatcher: OutboxDispatcher;
  chainer: AuditChainer;
  // configuration et clés
  settings: Settings;
  /** trousseau des clés (chiffrement des secrets, jetons, curseurs), relu quand elles changent */
  keys: PlatformKeys;
  /** boîte à secrets stockés (clés `encryption` du trousseau) */
  box: SecretBox;
  /** connexions sortantes vers des adresses configurées : politique, HTTP gardé, adresses vérifiées */
  outbound: Outbound;
  // identité et accès
  access: AccessProfiles;
  auth: AuthService;
  signer: TokenSigner;
  mfa: MfaService;
  tokens: PersonalTokens;
  /** clés d'API des intégrations (identités de service des tenants) */
  apiKeys: ApiKeys;
  preferences: Preferences;
  providers: IdentityProviders;
  accountMail: AccountMail;
  oidc: OidcFlows;
  saml: SamlFlows;
  /** étape du second facteur après une connexion OIDC ou SAML */
  secondFactor: SecondFactorStep;
  directorySync: DirectorySyncScheduler;
  // travaux de fond
  jobs: JobQueue;
  schedules: JobSchedules;
  jobAdmin: JobAdmin;
  // services transversaux
  mailer: Mailer;
  /** courriels : modèles, file d'envoi, historique */
  email: EmailService;
  /** notifications en application (flux SSE, courriel selon les préférences, vieillissement) */
  notifications: NotificationService;
  files: FileService;
  imports: ImportService;
  /** règles d'automatisation configurées (quand … si … alors …) */
  hookRules: HookRules;
  /** abonnements webhook, envois signés et journal des envois */
  webhooks: Webhooks;
  shortLinks: ShortLinks;
  errors: ErrorLog;
  ratesScheduler: RatesScheduler;
  /** IA : conversation auprès des fournisseurs routés pour la fonction, avec repli */
  ai: AiGateway;
  /** IA : budgets du mois et journal des appels */
  aiUsage: AiUsage;
  /** assistant : outils générés pour l'utilisateur, conversations */
  assistant: Assistant;
  /** écritures proposées par l'assistant, en attente de confirmation */
  aiProposals: ProposalStore;
  /** serveur MCP : les outils de l'assistant pour les agents externes */
  mcp: McpEndpoint;
  /** résultats des actions `ai` des règles : provenance, file d'approbation */
  aiSuggestions: SuggestionStore;
  /** suggestions d'IA sur les champs des fiches, comme l'utilisateur, sans rien écrire */
  fieldSuggestions: FieldSuggestions;
  // intelligence locale (ai/local) : une entrée par capacité, assemblée par core/areas/local-ai.ts
  /** analyse de texte (langue, sentiment, mots-clés, entités), comme l'utilisateur ; analyses stockées des enregistrements */
  nlp: NlpService;
  /** prédiction de saisie : habitudes de l'utilisateur, mots suivants d'un texte long */
  predictions: PredictService;
  /** lecture de documents (OCR, extraction de facture) en brouillons à relire, comme l'utilisateur */
  documents: DocumentService;
  recommend: RecommendService;
  optimise: OptimiseService;
  /** graphe des enregistrements et de leurs références (voisinage, chemin), comme l'utilisateur */
  knowledgeGraph: KnowledgeGraph;
  /** fouille de processus d'un champ d'état depuis le journal d'audit, comme l'utilisateur */
  processMining: ProcessMining;
  /** questions en langage naturel sans modèle de langue, exécutées comme l'utilisateur */
  nlQuery: NlQueryService;
  /** réponse locale de l'assistant quand aucun fournisseur d'IA n'est disponible */
  localAssistant: LocalAssistant;
  /** prévisions locales (Holt-Winters) d'une série d'entité, comme l'utilisateur */
  forecasts: ForecastService;
  /** valeurs inhabituelles des champs surveillés (scores z robustes) */
  anomalies: AnomalyService;
  // analyse décisionnelle
  /** requêtes d'analyse (mesures, dimensions, périodes, comparaisons) avec les droits de l'appelant */
  analytics: AnalyticsService;
  /** indicateurs clés recalculés quand leurs données changent, alertes */
  kpis: KpiService;
  /** entités écrites par tenant, relayées aux écrans ouverts (flux SSE) */
  changes: ChangeFeed;
  /** données des widgets d'un tableau de bord en un appel, filtres globaux fondus */
  dashboards: DashboardRunner;
  /** règles de qualité des données évaluées par un travail planifié, scores dans le temps */
  quality: QualityService;
  /** analyses envoyées par courriel (Excel, PDF) selon un cron, avec les droits de leur propriétaire */
  reports: ReportService;
  // modules
  moduleCatalog: ModuleCatalog;
  moduleRuntime: ModuleRuntime;
  modules: ModuleManager;
  taskScheduler: ModuleTaskScheduler;
  licenceScheduler: LicenceScheduler;
}
