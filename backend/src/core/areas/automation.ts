// Domaine de l'automatisation et des intégrations : webhooks (abonnements, envois signés), règles « quand … si …
// alors … » et leurs actions (travail, courriel, notification, webhook), imports de données qui les déclenchent.
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { EntityRegistry } from '../../engine/registry.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { HookBus } from '../../events/hooks.js';
import type { OutboxDispatcher } from '../../events/outbox.js';
import type { SecretBox } from '../../keys/secret-box.js';
import { HOOK_RULES_CHANNEL, HookRules } from '../../services/automation/hook-rules.js';
import { jobAction } from '../../services/automation/job-action.js';
import { emailAction, notifyAction } from '../../services/automation/message-actions.js';
import { webhookAction } from '../../services/automation/webhook-action.js';
import type { EmailService } from '../../services/email/email-service.js';
import { ImportService } from '../../services/import-export/import-service.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { NotifyAdministrators } from '../../services/notifications/admin-notices.js';
import type { NotificationService } from '../../services/notifications/service.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import { WEBHOOKS_CHANNEL } from '../../services/webhooks/subscriptions.js';
import { Webhooks, type WebhookOptions } from '../../services/webhooks/webhooks.js';
import type { Lifecycle } from '../lifecycle.js';
import type { PlatformServices } from '../services.js';

export interface AutomationAreaDeps {
  db: Db;
  registry: EntityRegistry;
  hooks: HookBus;
  dispatcher: OutboxDispatcher;
  records: RecordService;
  settings: Settings;
  outbound: Outbound;
  box: SecretBox;
  jobs: JobQueue;
  email: EmailService;
  notifications: NotificationService;
  notifyAdministrators: NotifyAdministrators;
  catalog: CatalogOf;
  tenantTx: TenantTx;
  afterCommit: () => void;
  onError?: (error: unknown) => void;
  /** tentatives et délai entre tentatives des envois (tests, banc) */
  webhooks?: WebhookOptions;
}

export type AutomationArea = Pick<PlatformServices, 'webhooks' | 'hookRules' | 'imports'>;

export async function wireAutomation(deps: AutomationAreaDeps, lifecycle: Lifecycle): Promise<AutomationArea> {
  const { db, registry, hooks, settings } = deps;
  const webhooks = new Webhooks({
    db, records: deps.records, catalog: deps.catalog, tenantTx: deps.tenantTx, registry, hooks,
    dispatcher: deps.dispatcher, jobs: deps.jobs, settings, outbound: deps.outbound, box: deps.box, notifyAdministrators: deps.notifyAdministrators,
  }, deps.webhooks);
  webhooks.install();
  // abonnements écrits sur n'importe quel nœud : on oublie ceux du tenant
  await lifecycle.listen(WEBHOOKS_CHANNEL, (tenantId) => webhooks.invalidate(tenantId || undefined));
  const hookRules = new HookRules({
    hooks, dispatcher: deps.dispatcher, settings,
    catalogIn: async (trx, tenantId) => registry.peek(tenantId) ?? registry.loadCatalog(trx),
    readInTenant: (tenantId, work) => inTenant(db, { tenantId }, work),
  });
  hookRules.defineAction('job', jobAction(deps.jobs));
  hookRules.defineAction('email', emailAction(() => deps.email));
  hookRules.defineAction('notify', notifyAction(() => deps.notifications));
  hookRules.defineAction('webhook', webhookAction(() => webhooks));
  hookRules.install();
  // règles modifiées sur n'importe quel nœud : relues à la prochaine écriture
  await lifecycle.listen(HOOK_RULES_CHANNEL, (tenantId) => hookRules.invalidate(tenantId || undefined));
  const imports = new ImportService({ db, records: deps.records, settings, hookRules, afterCommit: deps.afterCommit }, (error) => deps.onError?.(error));
  return { webhooks, hookRules, imports };
}
