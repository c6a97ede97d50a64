// Taux de change lus chez le fournisseur de chaque tenant (réglage `currency.rates.providerUrl`) : à la demande, et
// chaque jour par une passe de fond (un import est idempotent : deux nœuds qui le font ensemble ne doublent rien).
// La lecture passe par les connexions sortantes gardées ; chaque redirection est contrôlée comme la première adresse.
import type { Settings } from '../../config/settings.js';
import { DrainWorker } from '../../background/drain-loop.js';
import { activeTenants } from '../../tenancy/tenants.js';
import type { Db } from '../../db/database.js';
import { type RequestContext, systemContext } from '../../engine/context.js';
import type { TenantTx } from '../../engine/tenant-work.js';
import { ProblemError } from '../../errors/problem.js';
import { importRates, parseProviderRates } from './exchange-rates.js';
import type { Outbound } from '../outbound/outbound.js';

// borne mémoire d'un flux lu en entier puis analysé (celui de la BCE fait quelques kilo-octets) : garde-fou, pas un réglage
const MAX_FEED_BYTES = 20 * 1024 * 1024;
// redirections suivies : une chaîne plus longue est une erreur de configuration, pas une limite à régler
const MAX_REDIRECTS = 5;

export interface RatesFetchDeps {
  settings: Settings;
  outbound: Outbound;
  tenantTx: TenantTx;
}

export interface RatesSchedulerDeps extends RatesFetchDeps {
  db: Db;
}

export async function fetchProviderRates(deps: RatesFetchDeps, ctx: RequestContext): Promise<{ imported: number; from: string | null; to: string | null; url: string }> {
  const url = await deps.settings.value<string | null>('currency.rates.providerUrl', { tenantId: ctx.tenantId });
  if (!url) throw new ProblemError(409, 'no_provider', 'Set the setting currency.rates.providerUrl first');
  const timeoutMs = (await deps.settings.platformValue<number>('currency.rates.timeoutSeconds')) * 1000;
  let body: string;
  try {
    const response = await deps.outbound.fetch('rates', url, { signal: AbortSignal.timeout(timeoutMs), maxRedirects: MAX_REDIRECTS });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.text();
  } catch (error) {
    throw new ProblemError(502, 'provider_unreachable', `The rate provider ${url} could not be read: ${(error as Error).message}`);
  }
  if (body.length > MAX_FEED_BYTES) throw new ProblemError(502, 'provider_unreachable', `The rate feed of ${url} is too large`);
  const rows = parseProviderRates(body, new URL(url).host);
  const result = await deps.tenantTx(ctx, (trx) => importRates(trx, ctx, rows), { write: true });
  return { ...result, url };
}

/** Passe quotidienne : chaque tenant actif qui a un fournisseur. */
export class RatesScheduler extends DrainWorker {
  constructor(private readonly deps: RatesSchedulerDeps, private readonly onError: (error: unknown) => void = () => undefined) {
    super(onError);
  }

  override start(intervalMs = 24 * 3600_000): void {
    super.start(intervalMs);
  }

  protected async pass(): Promise<void> {
    for (const tenant of await activeTenants(this.deps.db)) {
      const url = await this.deps.settings.value<string | null>('currency.rates.providerUrl', { tenantId: tenant.id });
      if (!url) continue;
      const ctx = systemContext(tenant.id, `rates-${Date.now()}`);
      await fetchProviderRates(this.deps, ctx).catch((error: unknown) => this.onError(error));
    }
  }
}
