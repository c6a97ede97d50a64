// Passe horaire des licences : dans chaque tenant, les modules dont la licence est échue sont désactivés (données
// gardées, audit, avis aux administrateurs) ; les licences du registre qui approchent de leur échéance font l'objet
// d'un rappel, une fois par échéance.
import { sql } from 'kysely';
import { DrainWorker } from '../background/drain-loop.js';
import { activeTenants } from '../tenancy/tenants.js';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import type { NotifyAdministrators } from '../services/notifications/admin-notices.js';
import type { ModuleManager } from './manager.js';

export interface LicenceSchedulerDeps {
  db: Db;
  modules: ModuleManager;
  notifyAdministrators: NotifyAdministrators;
}

export class LicenceScheduler extends DrainWorker {
  constructor(private readonly deps: LicenceSchedulerDeps, onError: (error: unknown) => void = () => undefined) {
    super(onError);
  }

  override start(intervalMs = 3600_000): void {
    super.start(intervalMs);
  }

  /** Une passe pour un tenant à une date donnée (les tests avancent le temps). */
  async check(tenantId: string, now = new Date()): Promise<{ deactivated: string[]; reminded: string[] }> {
    const deactivated = await this.deps.modules.expireLicences(tenantId, now);
    if (deactivated.length) {
      const list = deactivated.join(', ');
      await this.deps.notifyAdministrators(tenantId, {
        subject: { en: `OpsFlux: licence expired, module deactivated (${list})`, fr: `OpsFlux : licence échue, module désactivé (${list})` },
        body: {
          en: `The licence of ${list} has expired. The module is deactivated; its data is kept and comes back when a valid licence is stored.`,
          fr: `La licence de ${list} est échue. Le module est désactivé ; ses données sont gardées et reviennent dès qu'une licence valable est déposée.`,
        },
      });
    }
    return { deactivated, reminded: await this.remind(tenantId, now) };
  }

  /** Licences du registre dont la date de rappel est passée et qui n'ont pas encore été rappelées. */
  private async remind(tenantId: string, now: Date): Promise<string[]> {
    const today = now.toISOString().slice(0, 10);
    const due = await inTenant(this.deps.db, { tenantId }, async (trx) => (await sql<{ name: string; expires: string }>`
      UPDATE licence SET reminded_at = now() WHERE deleted_at IS NULL AND reminded_at IS NULL AND expires_on IS NOT NULL
        AND expires_on - coalesce(remind_days, 30) <= ${today}::date
      RETURNING name, to_char(expires_on, 'YYYY-MM-DD') AS expires`.execute(trx)).rows);
    for (const licence of due) {
      await this.deps.notifyAdministrators(tenantId, {
        subject: { en: `OpsFlux: licence "${licence.name}" expires on ${licence.expires}`, fr: `OpsFlux : la licence « ${licence.name} » expire le ${licence.expires}` },
        body: { en: `Renew "${licence.name}" before ${licence.expires}.`, fr: `Renouvelez « ${licence.name} » avant le ${licence.expires}.` },
      });
    }
    return due.map((l) => l.name);
  }

  protected async pass(): Promise<void> {
    for (const tenant of await activeTenants(this.deps.db)) await this.check(tenant.id);
  }
}
