// Passe horaire : dans chaque tenant, les modules dont la licence est échue sont désactivés (données gardées, audit).
import type { Platform } from '../core/platform.js';
import { DrainWorker } from '../core/drain-loop.js';
import { tenantStatuses } from '../core/tenants.js';

export class LicenceExpiryScheduler extends DrainWorker {
  constructor(private readonly platform: Platform, onError: (error: unknown) => void = () => undefined) {
    super(onError);
  }

  override start(intervalMs = 3600_000): void {
    super.start(intervalMs);
  }

  protected async pass(): Promise<void> {
    for (const tenant of await tenantStatuses(this.platform.db)) {
      if (!tenant.suspendedAt) await this.platform.modules.expireLicences(tenant.id);
    }
  }
}
