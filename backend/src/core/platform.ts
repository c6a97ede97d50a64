// Assemblage de la plateforme : base, migrations, registre d'entités, schéma, services. Aucun objet HTTP ici.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { EntityDefinition, EntityExtension, ModuleLogger, SettingDeclaration } from '@opsflux/sdk';
import { openDatabase, type Database, type DatabaseOptions, type Db } from '../db/database.js';
import { AuditChainer } from '../audit/chainer.js';
import { CORE_SETTINGS } from '../config/core-settings.js';
import { SettingsRegistry } from '../config/registry.js';
import { Settings, SETTINGS_CHANNEL } from '../config/settings.js';
import { coreMigrations } from '../db/migrations/index.js';
import { runMigrations } from '../db/migrations/runner.js';
import { executeAtCommit, inTenant, platformStatement, type Tx } from '../db/transaction.js';
import { ownerWork } from '../db/role-scope.js';
import type { AccessPolicy } from '../engine/access.js';
import type { RequestContext } from '../engine/context.js';
import { RecordService } from '../engine/crud/service.js';
import { MetadataService } from '../engine/meta/service.js';
import { CursorCodec } from '../engine/query/cursor.js';
import { EntityRegistry, META_CHANNEL, type Catalog } from '../engine/registry.js';
import { syncSchema } from '../engine/schema/sync.js';
import type { CatalogFor, CatalogOf, RequestTxOptions, TenantTx } from '../engine/tenant-work.js';
import { HookBus } from '../events/hooks.js';
import { OutboxDispatcher } from '../events/outbox.js';
import { AuthService } from '../iam/auth-service.js';
import { installAccessGuards } from '../iam/access/guards.js';
import { syncPermissions } from '../iam/access/permissions.js';
import { rolePolicy } from '../iam/access/policy.js';
import { ACCESS_CHANNEL, AccessProfiles } from '../iam/access/store.js';
import { catalogView } from '../iam/access/view.js';
import { ACCESS_ENTITIES, coreEntities } from '../iam/entities.js';
import { PersonalTokens } from '../iam/personal-tokens.js';
import { ApiKeys, installApiKeyHooks } from '../iam/api-keys/api-keys.js';
import { Preferences } from '../iam/preferences.js';
import { IdentityProviders } from '../iam/providers.js';
import { MfaService } from '../iam/mfa.js';
import { AccountMail } from '../iam/account-mail.js';
import { OidcFlows } from '../iam/sso/oidc-flow.js';
import { DirectorySyncScheduler } from '../iam/sso/directory-sync.js';
import { SamlFlows } from '../iam/sso/saml-flow.js';
import { SecondFactorStep } from '../iam/sso/second-factor-step.js';
import { installCredentialGuard } from '../iam/access/credential-guard.js';
import type { Mailer } from '../services/email/transport/mailer.js';
import { MemoryMailer } from '../services/email/transport/memory.js';
import { SmtpMailer, smtpConfigFromEnv } from '../services/email/transport/smtp.js';
import { installModelRules } from '../models/rules.js';
import { seedReferenceData } from '../models/seed.js';
import { RatesScheduler } from '../services/reference/rates-fetcher.js';
import { Outbound } from '../services/outbound/outbound.js';
import { installOutboundChecks } from '../services/outbound/setting-checks.js';
import { FileService, type FileScanner } from '../services/files/file-service.js';
import { ImportService } from '../services/import-export/import-service.js';
import { ModuleCatalog } from '../modules/catalog.js';
import { LicenceScheduler } from '../modules/licence-scheduler.js';
import { ShortLinks } from '../services/shortener/short-links.js';
import { Webhooks, type WebhookOptions } from '../services/webhooks/webhooks.js';
import { WEBHOOKS_CHANNEL } from '../services/webhooks/subscriptions.js';
import { ErrorLog, PLATFORM_SCOPE } from '../services/errors/error-log.js';
import { errorNotice } from '../services/errors/error-notice.js';
import { notifyAdministrators, type NotifyAdministrators } from '../services/notifications/admin-notices.js';
import { NotificationService } from '../services/notifications/service.js';
import { ModuleManager } from '../modules/manager.js';
import { JOBS_CHANNEL, JobQueue, type JobQueueOptions } from '../services/jobs/queue.js';
import { JobSchedules } from '../services/jobs/schedules.js';
import { JobAdmin } from '../services/jobs/job-admin.js';
import { installCoreJobs } from '../services/jobs/core-jobs.js';
import { HOOK_RULES_CHANNEL, HookRules } from '../services/automation/hook-rules.js';
import { jobAction } from '../services/automation/job-action.js';
import { emailAction, notifyAction } from '../services/automation/message-actions.js';
import { webhookAction } from '../services/automation/webhook-action.js';
import { EmailService, type EmailQueueOptions } from '../services/email/email-service.js';
import { ModuleTaskScheduler } from '../modules/tasks.js';
import { MODULES_CHANNEL, ModuleRuntime, RELEASES_CHANGED } from '../modules/runtime.js';
import { SecretBox } from '../keys/secret-box.js';
import { TokenSigner } from '../iam/tokens.js';
import { KEYS_CHANNEL, PlatformKeys } from '../keys/platform-keys.js';
import { keySources as keySourcesOf, type KeySourceOptions } from '../keys/sources.js';
import { VERSION } from './version.js';

export { VERSION };
// verrou consultatif de la synchronisation du schéma : une clé commune à tous les nœuds, pas une limite
const SCHEMA_LOCK_KEY = 0x0f5f1b;

export interface PlatformOptions extends DatabaseOptions {
  access?: AccessPolicy;
  /** entités et extensions déclarées par le code en plus de celles du cœur (modules, tests) */
  entities?: EntityDefinition[];
  extensions?: EntityExtension[];
  /** réglages déclarés par le code en plus de ceux du cœur (modules, tests) */
  settings?: SettingDeclaration[];
  onError?: (error: unknown) => void;
  /** envoi des courriels (par défaut : SMTP de l'environnement, sinon en mémoire) */
  mailer?: Mailer;
  /** adresse publique de l'application, pour les liens des courriels */
  publicUrl?: string;
  /** démarre le répartiteur de l'outbox et le chaîneur de l'audit (désactivables pour les outils en ligne de commande) */
  dispatch?: boolean;
  /** dossier des modules livrés (défaut : $OPSFLUX_MODULES_DIR, sinon `modules/` du dépôt) */
  modulesDir?: string;
  /** dossier où ce nœud extrait les paquets téléversés (défaut : $OPSFLUX_MODULE_CACHE, sinon dossier temporaire) */
  moduleCacheDir?: string;
  /** stockage local des fichiers (défaut : $OPSFLUX_FILES_DIR, sinon DATA_DIR/files, sinon dossier temporaire) */
  filesDir?: string;
  /** antivirus ou autre contrôle des fichiers reçus */
  fileScanner?: FileScanner;
  /** file des travaux de fond de ce nœud (concurrence, marge du bail) */
  jobs?: Pick<JobQueueOptions, 'concurrency' | 'leaseGraceMs'>;
  /** ce nœud ne traite que les travaux et événements de ces tenants (tests qui partagent une base de serveur) */
  onlyTenants?: () => readonly string[];
  /** tentatives et délai entre tentatives des envois de webhooks (tests, banc) */
  webhooks?: WebhookOptions;
  /** file d'envoi des courriels (tentatives, délai entre elles) */
  email?: EmailQueueOptions;
  /** destinations privées permises en plus du réglage `outbound.allowList` (services de l'exploitant, tests), lues à chaque connexion */
  outboundAllowList?: () => readonly string[];
  /** sources des clés (environnement lu, source hors de la base exigée) : voir keys/sources.ts */
  keys?: Omit<KeySourceOptions, 'dataDir'>;
}

const REPOSITORY_MODULES = fileURLToPath(new URL('../../../modules/', import.meta.url));

export class Platform {
  readonly registry = new EntityRegistry();
  readonly hooks = new HookBus();
  readonly dispatcher: OutboxDispatcher;
  readonly chainer: AuditChainer;
  readonly meta: MetadataService;
  readonly access: AccessProfiles;
  readonly preferences = new Preferences(() => this.records);
  readonly tokens: PersonalTokens;
  /** clés d'API des intégrations (identités de service des tenants) */
  readonly apiKeys: ApiKeys;
  directorySync!: DirectorySyncScheduler;
  ratesScheduler!: RatesScheduler;
  taskScheduler!: ModuleTaskScheduler;
  /** travaux de fond (file et historique) et planifications cron */
  readonly jobs: JobQueue;
  readonly schedules: JobSchedules;
  readonly jobAdmin: JobAdmin;
  /** règles d'automatisation configurées (quand … si … alors …) */
  hookRules!: HookRules;
  shortLinks!: ShortLinks;
  /** abonnements webhook, envois signés et journal des envois */
  webhooks!: Webhooks;
  errors!: ErrorLog;
  /** notifications en application (flux SSE, courriel selon les préférences, vieillissement) */
  notifications!: NotificationService;
  /** adresse publique de la plateforme (liens des courriels, liens courts, retours SSO) */
  readonly publicUrl: string;
  licenceScheduler!: LicenceScheduler;
  providers!: IdentityProviders;
  mfa!: MfaService;
  settings!: Settings;
  /** connexions sortantes vers des adresses configurées : politique, HTTP gardé, adresses vérifiées */
  outbound!: Outbound;
  readonly mailer: Mailer;
  accountMail!: AccountMail;
  oidc!: OidcFlows;
  saml!: SamlFlows;
  /** étape du second facteur après une connexion OIDC ou SAML */
  secondFactor!: SecondFactorStep;
  private readonly permissionsSynced = new WeakMap<Catalog, Promise<void>>();
  records!: RecordService;
  files!: FileService;
  imports!: ImportService;
  /** courriels : modèles, file d'envoi, historique */
  email!: EmailService;
  moduleCatalog!: ModuleCatalog;
  moduleRuntime!: ModuleRuntime;
  modules!: ModuleManager;
  auth!: AuthService;
  signer!: TokenSigner;
  /** trousseau des clés (chiffrement des secrets, jetons, curseurs), relu quand elles changent */
  keys!: PlatformKeys;
  /** boîte à secrets stockés (clés `encryption` du trousseau) */
  box!: SecretBox;
  ready = false;
  private unlisten?: () => Promise<void>;
  /** avis aux administrateurs d'un tenant (courriel et notification), pour les services qui en envoient */
  private readonly adminNotices: NotifyAdministrators = (tenantId, notice) => notifyAdministrators({
    db: this.db, catalog: (id) => this.catalog(id), mailer: this.mailer, notifications: this.notifications,
  }, tenantId, notice);

  private constructor(readonly database: Database, private readonly options: PlatformOptions) {
    this.dispatcher = new OutboxDispatcher(database.db, options.onError, options.onlyTenants);
    this.chainer = new AuditChainer(database.db, options.onError);
    this.meta = new MetadataService(this.registry);
    this.access = new AccessProfiles(database.db, (tenantId) => this.catalog(tenantId));
    // limites lues à chaque création, avant sa transaction (réglages créés au démarrage, avant toute requête)
    this.tokens = new PersonalTokens(database.db, (tenantId) => this.settings.value<number>('api.tokens.maxPerUser', { tenantId }));
    this.apiKeys = new ApiKeys(database, () => this.afterCommit(), options.onError, (tenantId) => this.settings.value<number>('api.keys.maxPerTenant', { tenantId }));
    this.publicUrl = publicUrlOf(options).replace(/\/$/, '');
    const smtp = smtpConfigFromEnv(process.env);
    this.mailer = options.mailer ?? (smtp ? new SmtpMailer(smtp) : new MemoryMailer());
    this.jobs = new JobQueue(database.db, {
      ...options.jobs,
      // réglages de plateforme relus hors transaction à chaque passe ; `jobs.concurrency` donné au processus l'emporte
      limits: async () => ({
        concurrency: await this.settings.platformValue<number>('jobs.concurrency'),
        maxPayloadBytes: (await this.settings.platformValue<number>('jobs.payload.maxKilobytes')) * 1024,
      }),
      tenants: options.onlyTenants,
      onError: options.onError,
      // échec définitif inattendu : au journal des erreurs, rattaché au tenant et au type du travail
      onFailure: (error, job) => void this.errors.capture({ error, source: 'background', tenantId: job.tenantId, route: `job:${job.name}` }),
    });
    this.schedules = new JobSchedules(database.db, this.jobs, options.onError);
    this.jobAdmin = new JobAdmin(database.db, this.jobs);
  }

  static async open(options: PlatformOptions): Promise<Platform> {
    const database = await openDatabase(options);
    const platform = new Platform(database, options);
    try {
      await platform.start();
      return platform;
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  get db() {
    return this.database.db;
  }

  private async start(): Promise<void> {
    // sources des clés contrôlées d'abord : une configuration refusée s'arrête avant de toucher à la base
    const keySources = keySourcesOf({ ...this.options.keys, dataDir: this.options.dataDir });
    await runMigrations(this.db, 'core', coreMigrations);
    this.registry.register(...coreEntities, ...(this.options.entities ?? []));
    this.registry.extend(...(this.options.extensions ?? []));
    await this.syncGlobalSchema();
    this.keys = await PlatformKeys.open(this.db, keySources);
    this.signer = new TokenSigner(this.keys);
    this.records = new RecordService({
      hooks: this.hooks,
      access: this.options.access ?? rolePolicy,
      codec: new CursorCodec(this.keys),
      onWrite: (trx, ctx, model) => this.noteWrite(trx, ctx, model.name),
    });
    installAccessGuards(this.hooks, (tenantId) => this.catalog(tenantId));
    installCredentialGuard(this.hooks, { catalogOf: (tenantId) => this.catalog(tenantId), email: () => this.email });
    installModelRules(this.hooks);
    installApiKeyHooks(this.hooks);
    const work = this.tenantWork();
    const box = (this.box = new SecretBox(this.keys));
    const settingsRegistry = new SettingsRegistry();
    settingsRegistry.declare(...CORE_SETTINGS, ...(this.options.settings ?? []));
    this.settings = new Settings(this.db, box, settingsRegistry);
    this.outbound = new Outbound(this.settings, this.options.outboundAllowList);
    installOutboundChecks(this.settings, this.outbound);
    this.providers = new IdentityProviders(this.db, box, (tenantId) => this.catalog(tenantId), this.outbound);
    this.providers.install(this.hooks);
    this.shortLinks = new ShortLinks(this.db, this.settings, (tenantId) => this.catalog(tenantId));
    this.shortLinks.install(this.hooks);
    this.webhooks = new Webhooks({
      ...work, registry: this.registry, hooks: this.hooks, dispatcher: this.dispatcher, jobs: this.jobs, settings: this.settings,
      outbound: this.outbound, box, notifyAdministrators: this.adminNotices,
    }, this.options.webhooks);
    this.webhooks.install();
    // nouveau groupe d'erreurs ou pic : les administrateurs du tenant sont prévenus (notification en application et courriel)
    this.errors = new ErrorLog(this.db, (group) => {
      if (group.scope !== PLATFORM_SCOPE) void this.adminNotices(group.scope, errorNotice(group)).catch(() => undefined);
    }, (scope) => (scope === PLATFORM_SCOPE ? this.settings.platformValue<number>('errors.spikePerHour') : this.settings.value<number>('errors.spikePerHour', { tenantId: scope })));
    this.mfa = new MfaService(this.db, box, (tenantId) => this.accessChanged(tenantId));
    this.auth = new AuthService(this.db, this.signer, this.mfa, this.settings);
    const publicUrl = publicUrlOf(this.options);
    // file des courriels et modules chargés : créés plus loin, lus à chaque envoi
    this.notifications = new NotificationService({
      ...work, settings: this.settings, preferences: this.preferences, publicUrl: this.publicUrl,
      listen: (channel, onMessage) => this.database.listen(channel, onMessage), email: () => this.email, moduleRuntime: () => this.moduleRuntime,
    }, (error) => this.options.onError?.(error));
    await this.notifications.start();
    this.accountMail = new AccountMail(this.db, this.mailer, publicUrl, this.settings);
    this.oidc = new OidcFlows(box, publicUrl, this.outbound);
    this.saml = new SamlFlows(this.db, publicUrl);
    this.secondFactor = new SecondFactorStep(box);
    await this.startModules(settingsRegistry);
    const filesDir = this.options.filesDir ?? process.env.OPSFLUX_FILES_DIR ?? (this.options.dataDir ? join(this.options.dataDir, 'files') : join(tmpdir(), 'opsflux-files'));
    this.files = new FileService({ ...work, settings: this.settings, outbound: this.outbound }, filesDir, this.options.fileScanner);
    this.email = new EmailService({
      db: this.db, jobs: this.jobs, settings: this.settings, store: (tenantId) => this.files.store(tenantId), mailer: () => this.mailer, options: this.options.email,
      resolveSmtp: (host, port) => this.outbound.connectTarget('smtp', host, port),
    });
    this.email.install(this.hooks);
    installCoreJobs({ db: this.db, settings: this.settings, jobs: this.jobs, schedules: this.schedules, notifications: this.notifications });
    this.hookRules = new HookRules({
      hooks: this.hooks, dispatcher: this.dispatcher,
      catalogIn: async (trx, tenantId) => this.registry.peek(tenantId) ?? this.registry.loadCatalog(trx),
      readInTenant: (tenantId, work) => inTenant(this.db, { tenantId }, work),
      settings: this.settings,
    });
    this.hookRules.defineAction('job', jobAction(this.jobs));
    this.hookRules.defineAction('email', emailAction(() => this.email));
    this.hookRules.defineAction('notify', notifyAction(() => this.notifications));
    this.hookRules.defineAction('webhook', webhookAction(() => this.webhooks));
    this.hookRules.install();
    this.imports = new ImportService({
      db: this.db, records: this.records, settings: this.settings, hookRules: this.hookRules, afterCommit: () => this.afterCommit(),
    }, (error) => this.options.onError?.(error));
    this.directorySync = new DirectorySyncScheduler({
      ...work, registry: this.registry, settings: this.settings, outbound: this.outbound, providers: this.providers,
    }, this.options.onError);
    this.ratesScheduler = new RatesScheduler({ db: this.db, settings: this.settings, outbound: this.outbound, tenantTx: work.tenantTx }, this.options.onError);
    this.taskScheduler = new ModuleTaskScheduler({ ...work, settings: this.settings, moduleRuntime: this.moduleRuntime }, this.options.onError);
    this.licenceScheduler = new LicenceScheduler({ db: this.db, modules: this.modules, notifyAdministrators: this.adminNotices }, this.options.onError);
    await this.schedules.syncDeclared();
    // métadonnées modifiées sur n'importe quel nœud : on oublie le catalogue du tenant
    const unlistenMeta = await this.database.listen(META_CHANNEL, (tenantId) => this.registry.invalidate(tenantId || undefined));
    // droits modifiés sur n'importe quel nœud : on oublie les profils d'accès du tenant
    const unlistenAccess = await this.database.listen(ACCESS_CHANNEL, (tenantId) => this.access.invalidate(tenantId || undefined));
    // réglages modifiés sur n'importe quel nœud : on oublie les valeurs du tenant (ou toutes)
    const unlistenSettings = await this.database.listen(SETTINGS_CHANNEL, (tenantId) => this.settings.invalidate(tenantId || undefined));
    // clé d'API changée sur n'importe quel nœud : sa vérification en cache est oubliée ; usage écrit périodiquement
    await this.apiKeys.start();
    // modules : versions chargées changées (`*`) → chaque nœud se réaligne ; état d'un tenant → son catalogue est oublié
    // règles d'automatisation modifiées sur n'importe quel nœud : relues à la prochaine écriture
    const unlistenRules = await this.database.listen(HOOK_RULES_CHANNEL, (tenantId) => this.hookRules.invalidate(tenantId || undefined));
    // travail déposé sur un autre nœud : la file de ce nœud se réveille
    const unlistenJobs = await this.database.listen(JOBS_CHANNEL, () => this.jobs.kick());
    // abonnements webhook écrits sur n'importe quel nœud : on oublie ceux du tenant
    const unlistenWebhooks = await this.database.listen(WEBHOOKS_CHANNEL, (tenantId) => this.webhooks.invalidate(tenantId || undefined));
    const unlistenModules = await this.database.listen(MODULES_CHANNEL, (payload) => {
      if (payload === RELEASES_CHANGED) void this.moduleRuntime.refresh().catch((error: unknown) => this.options.onError?.(error));
      else this.registry.invalidate(payload || undefined);
    });
    // clés changées par `opsflux secrets rotate|retire` : chaque nœud relit ses sources
    const unlistenKeys = await this.database.listen(KEYS_CHANNEL, () => void this.keys.reload().catch((error: unknown) => this.options.onError?.(error)));
    this.unlisten = async () => {
      await unlistenKeys();
      await unlistenMeta();
      await unlistenAccess();
      await unlistenSettings();
      await unlistenModules();
      await unlistenJobs();
      await unlistenWebhooks();
      await unlistenRules();
    };
    if (this.options.dispatch !== false) {
      this.dispatcher.start();
      this.chainer.start();
      this.directorySync.start();
      this.ratesScheduler.start();
      this.taskScheduler.start();
      this.licenceScheduler.start();
      this.jobs.start();
      this.schedules.start();
    }
    this.ready = true;
  }

  /** Catalogue, code chargé et cycle de vie des modules ; ce nœud charge les versions en place sur la plateforme. */
  private async startModules(settingsRegistry: SettingsRegistry): Promise<void> {
    const onError = this.options.onError ?? ((error: unknown) => console.error(error));
    this.moduleCatalog = new ModuleCatalog(this.db, {
      builtinDir: this.options.modulesDir ?? process.env.OPSFLUX_MODULES_DIR ?? REPOSITORY_MODULES,
      cacheDir: this.options.moduleCacheDir ?? process.env.OPSFLUX_MODULE_CACHE ?? join(tmpdir(), 'opsflux-modules'),
      manifestMaxBytes: async () => (await this.settings.platformValue<number>('modules.manifest.maxKilobytes')) * 1024,
      remote: {
        url: () => this.settings.platformValue<string | null>('modules.catalog.url'),
        maxBytes: async () => (await this.settings.platformValue<number>('modules.upload.maxMegabytes')) * 1024 * 1024,
        cacheMs: async () => (await this.settings.platformValue<number>('modules.catalog.cacheSeconds')) * 1000,
        timeoutMs: async () => (await this.settings.platformValue<number>('modules.catalog.timeoutSeconds')) * 1000,
        fetch: (url, init) => this.outbound.fetch('catalog', url, init),
      },
      onError,
    });
    this.moduleRuntime = new ModuleRuntime({
      db: this.db, registry: this.registry, hooks: this.hooks, settings: settingsRegistry, catalog: this.moduleCatalog, onError,
      services: { records: this.records, settings: this.settings, log: moduleLogger },
    });
    this.modules = new ModuleManager({
      db: this.db, registry: this.registry, runtime: this.moduleRuntime, catalog: this.moduleCatalog, settings: this.settings,
      core: VERSION, afterCommit: () => this.afterCommit(),
    });
    await this.moduleRuntime.refresh();
  }

  /** Crée ou complète les tables des entités déclarées par le code (un seul nœud à la fois). */
  async syncGlobalSchema(): Promise<void> {
    const models = [...this.registry.global().values()];
    await ownerWork(() => this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`.execute(trx);
      await syncSchema(trx, models, (name) => this.registry.global().get(name));
    }));
  }

  /** Catalogues et transaction de requête de cette plateforme, pour les services qui travaillent dans un tenant. */
  private tenantWork(): { db: Db; records: RecordService; catalog: CatalogOf; catalogFor: CatalogFor; tenantTx: TenantTx } {
    return {
      db: this.db,
      records: this.records,
      catalog: (tenantId) => this.catalog(tenantId),
      catalogFor: (ctx) => this.catalogFor(ctx),
      tenantTx: (ctx, work, options) => this.tenantTx(ctx, work, options),
    };
  }

  /**
   * Catalogue complet du tenant ; à sa première apparition, ses permissions `entité:action` sont créées et ses données
   * de référence semées.
   */
  async catalog(tenantId: string): Promise<Catalog> {
    const catalog = await this.registry.catalog(this.db, tenantId);
    let synced = this.permissionsSynced.get(catalog);
    if (!synced) {
      synced = syncPermissions(this.db, tenantId, catalog).then(() => seedReferenceData(this.db, tenantId, catalog));
      synced.catch(() => this.permissionsSynced.delete(catalog));
      this.permissionsSynced.set(catalog, synced);
    }
    await synced;
    return catalog;
  }

  /** Catalogue vu par l'appelant : sans les champs que ses règles lui masquent. */
  async catalogFor(ctx: RequestContext): Promise<Catalog> {
    return catalogView(await this.catalog(ctx.tenantId), ctx.system ? undefined : ctx.access);
  }

  /** Droits d'un tenant changés hors du service générique (MFA, suspension) : tous les nœuds recalculent les profils. */
  async accessChanged(tenantId: string): Promise<void> {
    this.access.invalidate(tenantId);
    await platformStatement(this.db, sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${tenantId})`);
  }

  /** Écriture d'une entité qui porte des droits : tous les nœuds recalculeront les profils du tenant. */
  private async noteWrite(trx: Tx, ctx: RequestContext, entity: string): Promise<void> {
    if (!ACCESS_ENTITIES.has(entity)) return;
    ctx.accessChanged = true;
    await executeAtCommit(trx, sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${ctx.tenantId})`);
  }

  /** Transaction de requête du tenant ; après un commit d'écriture, l'outbox est distribuée. */
  async tenantTx<T>(ctx: RequestContext, work: (trx: Tx) => Promise<T>, options: RequestTxOptions = {}): Promise<T> {
    const result = await inTenant(this.db, { tenantId: ctx.tenantId, userId: ctx.userId }, work, options);
    if (ctx.accessChanged) {
      ctx.accessChanged = false;
      this.access.invalidate(ctx.tenantId);
    }
    if (options.write) this.afterCommit();
    return result;
  }

  /** Après un commit d'écriture : audit à chaîner, événements à distribuer. */
  afterCommit(): void {
    this.chainer.kick();
    this.dispatcher.kick();
  }

  async close(): Promise<void> {
    this.ready = false;
    await this.imports?.stop();
    await this.schedules.stop();
    await this.jobs.stop();
    await this.dispatcher.stop();
    await this.chainer.stop();
    await this.directorySync?.stop();
    await this.ratesScheduler?.stop();
    await this.notifications?.stop();
    await this.taskScheduler?.stop();
    await this.licenceScheduler?.stop();
    await this.unlisten?.();
    await this.apiKeys.stop();
    await this.outbound?.close();
    await this.database.close();
  }
}

/** Adresse publique donnée (option, sinon OPSFLUX_PUBLIC_URL), sinon l'adresse locale par défaut. */
function publicUrlOf(options: PlatformOptions): string {
  return options.publicUrl ?? process.env.OPSFLUX_PUBLIC_URL ?? 'http://127.0.0.1:3000';
}

/** Journal d'un module : lignes JSON sur la sortie d'erreur, préfixées du module. */
function moduleLogger(module: string): ModuleLogger {
  const write = (level: string) => (message: string, data?: Record<string, unknown>) =>
    console.error(JSON.stringify({ level, module, msg: message, ...data }));
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
