// Racine de composition : ouvre la base, applique les migrations, enregistre les entités, puis assemble les domaines
// (identité, fichiers et courriels, modules, notifications, automatisation) dans l'ordre de leurs dépendances ; chaque
// domaine inscrit ses écoutes et ses travailleurs de fond au cycle de vie. Aucun objet HTTP ici.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { EntityDefinition, EntityExtension, SettingDeclaration } from '@opsflux/sdk';
import { openDatabase, type Database, type DatabaseOptions } from '../db/database.js';
import { AuditChainer } from '../audit/chainer.js';
import { CORE_SETTINGS } from '../config/core-settings.js';
import { SettingsRegistry } from '../config/registry.js';
import { Settings, SETTINGS_CHANNEL } from '../config/settings.js';
import { coreMigrations } from '../db/migrations/index.js';
import { runMigrations } from '../db/migrations/runner.js';
import { ownerWork } from '../db/role-scope.js';
import type { AccessPolicy } from '../engine/access.js';
import { RecordService } from '../engine/crud/service.js';
import { MetadataService } from '../engine/meta/service.js';
import { CursorCodec } from '../engine/query/cursor.js';
import { EntityRegistry, META_CHANNEL } from '../engine/registry.js';
import { syncSchema } from '../engine/schema/sync.js';
import { HookBus } from '../events/hooks.js';
import { OutboxDispatcher } from '../events/outbox.js';
import { installAccessGuards } from '../iam/access/guards.js';
import { installCredentialGuard } from '../iam/access/credential-guard.js';
import { rolePolicy } from '../iam/access/policy.js';
import { ACCESS_CHANNEL, AccessProfiles } from '../iam/access/store.js';
import { coreEntities } from '../iam/entities.js';
import { PersonalTokens } from '../iam/personal-tokens.js';
import { ApiKeys, installApiKeyHooks } from '../iam/api-keys/api-keys.js';
import { Preferences } from '../iam/preferences.js';
import { TokenSigner } from '../iam/tokens.js';
import { KEYS_CHANNEL, PlatformKeys } from '../keys/platform-keys.js';
import { SecretBox } from '../keys/secret-box.js';
import { keySources as keySourcesOf, type KeySourceOptions } from '../keys/sources.js';
import { installModelRules } from '../models/rules.js';
import type { Mailer } from '../services/email/transport/mailer.js';
import { MemoryMailer } from '../services/email/transport/memory.js';
import { SmtpMailer, smtpConfigFromEnv } from '../services/email/transport/smtp.js';
import { EmailService, type EmailQueueOptions } from '../services/email/email-service.js';
import { ErrorLog, PLATFORM_SCOPE } from '../services/errors/error-log.js';
import { errorNotice } from '../services/errors/error-notice.js';
import { FileService, type FileScanner } from '../services/files/file-service.js';
import { installCoreJobs } from '../services/jobs/core-jobs.js';
import { JobAdmin } from '../services/jobs/job-admin.js';
import { JOBS_CHANNEL, JobQueue, type JobQueueOptions } from '../services/jobs/queue.js';
import { JobSchedules } from '../services/jobs/schedules.js';
import { notifyAdministrators, type NotifyAdministrators } from '../services/notifications/admin-notices.js';
import { NotificationService } from '../services/notifications/service.js';
import { Outbound } from '../services/outbound/outbound.js';
import { installOutboundChecks } from '../services/outbound/setting-checks.js';
import { RatesScheduler } from '../services/reference/rates-fetcher.js';
import { ShortLinks } from '../services/shortener/short-links.js';
import type { WebhookOptions } from '../services/webhooks/webhooks.js';
import { wireAi } from './areas/ai.js';
import { wireLocalAi } from './areas/local-ai.js';
import { wireAnalytics } from './areas/analytics.js';
import type { LocalToolRegistry } from '../ai/local/tools.js';
import { wireAutomation } from './areas/automation.js';
import { wireIam } from './areas/iam.js';
import { wireModules } from './areas/modules.js';
import { Lifecycle } from './lifecycle.js';
import type { PlatformServices } from './services.js';
import { TenantScope } from './tenant-scope.js';
import { VERSION } from './version.js';

export { VERSION };
export type { PlatformServices };
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

/** Plateforme ouverte : ses services, sa base, et sa fermeture (travailleurs, écoutes, connexions, base). */
export interface Platform extends PlatformServices {
  readonly database: Database;
  /** Crée ou complète les tables des entités déclarées par le code (un seul nœud à la fois). */
  syncGlobalSchema(): Promise<void>;
  close(): Promise<void>;
}

export const Platform = {
  /** Ouvre la base, assemble les services et démarre le travail de fond (sauf `dispatch: false`). */
  async open(options: PlatformOptions): Promise<Platform> {
    const database = await openDatabase(options);
    const lifecycle = new Lifecycle(database);
    try {
      return await assemble(database, options, lifecycle);
    } catch (error) {
      await lifecycle.close().catch(() => undefined);
      await database.close();
      throw error;
    }
  },
};

async function assemble(database: Database, options: PlatformOptions, lifecycle: Lifecycle): Promise<Platform> {
  const { db } = database;
  const onError = options.onError;
  // sources des clés contrôlées d'abord : une configuration refusée s'arrête avant de toucher à la base
  const keySources = keySourcesOf({ ...options.keys, dataDir: options.dataDir });
  await runMigrations(db, 'core', coreMigrations);
  const registry = new EntityRegistry();
  registry.register(...coreEntities, ...(options.entities ?? []));
  registry.extend(...(options.extensions ?? []));
  const syncGlobalSchema = () => ownerWork(() => db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`.execute(trx);
    await syncSchema(trx, [...registry.global().values()], (name) => registry.global().get(name));
  }));
  await syncGlobalSchema();

  // clés, réglages, connexions sortantes
  const keys = await PlatformKeys.open(db, keySources);
  // clés changées par `opsflux secrets rotate|retire` : chaque nœud relit ses sources
  await lifecycle.listen(KEYS_CHANNEL, () => void keys.reload().catch((error: unknown) => onError?.(error)));
  const box = new SecretBox(keys);
  const settingsRegistry = new SettingsRegistry();
  settingsRegistry.declare(...CORE_SETTINGS, ...(options.settings ?? []));
  const settings = new Settings(db, box, settingsRegistry);
  // réglages modifiés sur n'importe quel nœud : on oublie les valeurs du tenant (ou toutes)
  await lifecycle.listen(SETTINGS_CHANNEL, (tenantId) => settings.invalidate(tenantId || undefined));
  const outbound = new Outbound(settings, options.outboundAllowList);
  lifecycle.onClose(() => outbound.close());
  installOutboundChecks(settings, outbound);

  // moteur : crochets, droits, service générique des enregistrements, transaction de requête
  const hooks = new HookBus();
  const access: AccessProfiles = new AccessProfiles(db, (tenantId) => scope.catalog(tenantId));
  // droits modifiés sur n'importe quel nœud : on oublie les profils d'accès du tenant
  await lifecycle.listen(ACCESS_CHANNEL, (tenantId) => access.invalidate(tenantId || undefined));
  const dispatcher = new OutboxDispatcher(db, onError, options.onlyTenants);
  const chainer = new AuditChainer(db, onError);
  lifecycle.worker(dispatcher);
  lifecycle.worker(chainer);
  const scope = new TenantScope({ db, registry, access, dispatcher, chainer });
  // métadonnées modifiées sur n'importe quel nœud : on oublie le catalogue du tenant
  await lifecycle.listen(META_CHANNEL, (tenantId) => registry.invalidate(tenantId || undefined));
  const records = new RecordService({
    hooks, access: options.access ?? rolePolicy, codec: new CursorCodec(keys),
    onWrite: (trx, ctx, model) => scope.noteWrite(trx, ctx, model.name),
  });
  const work = { db, registry, records, catalog: scope.catalog, catalogFor: scope.catalogFor, tenantTx: scope.tenantTx };
  installAccessGuards(hooks, scope.catalog);
  installCredentialGuard(hooks, { catalogOf: scope.catalog, email: () => email });
  installModelRules(hooks);
  installApiKeyHooks(hooks);

  // travaux de fond ; un échec définitif inattendu va au journal des erreurs, rattaché au tenant et au type du travail
  const jobs = new JobQueue(db, {
    ...options.jobs,
    // réglages de plateforme relus hors transaction à chaque passe ; `jobs.concurrency` donné au processus l'emporte
    limits: async () => ({
      concurrency: await settings.platformValue<number>('jobs.concurrency'),
      maxPayloadBytes: (await settings.platformValue<number>('jobs.payload.maxKilobytes')) * 1024,
    }),
    tenants: options.onlyTenants,
    onError,
    onFailure: (error, job) => void errors.capture({ error, source: 'background', tenantId: job.tenantId, route: `job:${job.name}` }),
  });
  // travail déposé sur un autre nœud : la file de ce nœud se réveille
  await lifecycle.listen(JOBS_CHANNEL, () => jobs.kick());
  const schedules = new JobSchedules(db, jobs, onError);

  // identité et accès
  const signer = new TokenSigner(keys);
  const publicUrl = publicUrlOf(options);
  const mailer = options.mailer ?? mailerFromEnv();
  // limites lues à chaque création, avant sa transaction
  const tokens = new PersonalTokens(db, (tenantId) => settings.value<number>('api.tokens.maxPerUser', { tenantId }));
  const apiKeys = new ApiKeys(database, scope.afterCommit, onError, (tenantId) => settings.value<number>('api.keys.maxPerTenant', { tenantId }));
  // clé changée sur n'importe quel nœud : sa vérification en cache est oubliée ; usage écrit périodiquement
  await lifecycle.started(apiKeys);
  const preferences = new Preferences(() => records);
  const iam = wireIam({ ...work, hooks, box, signer, settings, outbound, mailer, publicUrl, accessChanged: scope.accessChanged, onError }, lifecycle);
  const shortLinks = new ShortLinks(db, settings, scope.catalog);
  shortLinks.install(hooks);

  // fichiers et courriels
  const filesDir = options.filesDir ?? process.env.OPSFLUX_FILES_DIR ?? (options.dataDir ? join(options.dataDir, 'files') : join(tmpdir(), 'opsflux-files'));
  const files = new FileService({ ...work, settings, outbound }, filesDir, options.fileScanner);
  const email = new EmailService({
    db, jobs, settings, store: (tenantId) => files.store(tenantId), mailer: () => mailer, options: options.email,
    resolveSmtp: (host, port) => outbound.connectTarget('smtp', host, port),
  });
  email.install(hooks);

  // modules, puis notifications (leurs textes viennent aussi des modules) et avis aux administrateurs
  const adminNotices: NotifyAdministrators = (tenantId, notice) => notifyAdministrators({ db, catalog: scope.catalog, mailer, notifications }, tenantId, notice);
  const modules = await wireModules({
    ...work, hooks, settings, settingsRegistry, outbound, afterCommit: scope.afterCommit, notifyAdministrators: adminNotices, onError,
    modulesDir: options.modulesDir, moduleCacheDir: options.moduleCacheDir,
  }, lifecycle);
  const notifications = new NotificationService({
    ...work, settings, preferences, publicUrl, listen: (channel, onMessage) => database.listen(channel, onMessage),
    email: () => email, moduleRuntime: () => modules.moduleRuntime,
  }, (error) => onError?.(error));
  await lifecycle.started(notifications);
  // nouveau groupe d'erreurs ou pic : les administrateurs du tenant sont prévenus (notification en application et courriel)
  const errors = new ErrorLog(db, (group) => {
    if (group.scope !== PLATFORM_SCOPE) void adminNotices(group.scope, errorNotice(group)).catch(() => undefined);
  }, (tenant) => (tenant === PLATFORM_SCOPE ? settings.platformValue<number>('errors.spikePerHour') : settings.value<number>('errors.spikePerHour', { tenantId: tenant })));
  installCoreJobs({ db, settings, jobs, schedules, notifications });

  // automatisation, intégrations, données de référence
  const automation = await wireAutomation({
    ...work, hooks, dispatcher, settings, outbound, box, jobs, email, notifications, notifyAdministrators: adminNotices,
    afterCommit: scope.afterCommit, onError, webhooks: options.webhooks,
  }, lifecycle);
  // IA : fournisseurs routés par fonction (appels sous la politique sortante, budgets), assistant
  const localTools: LocalToolRegistry = [];
  const aiArea = wireAi({ ...work, settings, outbound, files, jobs, hookRules: automation.hookRules, moduleRuntime: modules.moduleRuntime, local: localTools });
  // intelligence locale : sans fournisseur ni réseau, ses outils rejoignent ceux de l'assistant
  const localAi = wireLocalAi({
    ...work, dispatcher, settings, files, jobs, schedules, notifications, hookRules: automation.hookRules, moduleRuntime: modules.moduleRuntime,
    gateway: aiArea.ai, tools: localTools, hooks, preferences,
  });
  // analyse décisionnelle
  const analytics = await wireAnalytics({ ...work, database, settings, hooks, dispatcher, jobs, schedules, notifications, access, notifyAdministrators: adminNotices, files, email, forecasts: localAi.forecasts }, lifecycle);
  const ratesScheduler = new RatesScheduler({ db, settings, outbound, tenantTx: scope.tenantTx }, onError);
  lifecycle.worker(ratesScheduler);
  lifecycle.worker(jobs);
  lifecycle.worker(schedules);
  // imports en cours (lancés par les requêtes) : inscrits en dernier, donc arrêtés avant les autres travailleurs
  lifecycle.worker({ start: () => undefined, stop: () => automation.imports.stop() });
  await schedules.syncDeclared();

  if (options.dispatch !== false) lifecycle.startWorkers();
  let ready = true;
  return {
    database, db, registry, publicUrl, hooks, records, dispatcher, chainer, settings, keys, box, outbound,
    meta: new MetadataService(registry),
    catalog: scope.catalog, catalogFor: scope.catalogFor, tenantTx: scope.tenantTx, accessChanged: scope.accessChanged, afterCommit: scope.afterCommit,
    access, signer, tokens, apiKeys, preferences, ...iam,
    jobs, schedules, jobAdmin: new JobAdmin(db, jobs),
    mailer, email, notifications, files, shortLinks, errors, ratesScheduler, ...aiArea, ...localAi, ...analytics, ...automation, ...modules,
    syncGlobalSchema,
    get ready() {
      return ready;
    },
    async close() {
      ready = false;
      await lifecycle.close();
      await database.close();
    },
  };
}

/** Adresse publique donnée (option, sinon OPSFLUX_PUBLIC_URL), sinon l'adresse locale par défaut ; sans `/` final. */
function publicUrlOf(options: PlatformOptions): string {
  return (options.publicUrl ?? process.env.OPSFLUX_PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
}

/** SMTP de l'environnement s'il est décrit, sinon une boîte en mémoire. */
function mailerFromEnv(): Mailer {
  const smtp = smtpConfigFromEnv(process.env);
  return smtp ? new SmtpMailer(smtp) : new MemoryMailer();
}
