// Synchronisation des annuaires LDAP/AD : à la demande d'un administrateur, ou périodiquement pour les fournisseurs
// dont `config.syncIntervalMinutes` est positif. Sur plusieurs nœuds, chaque échéance est prise par un seul : celui
// dont la mise à jour conditionnelle de `last_sync_at` a réussi.
import { sql } from 'kysely';
import { DrainWorker } from '../../background/drain-loop.js';
import { activeTenants } from '../../tenancy/tenants.js';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import type { EntityRegistry } from '../../engine/registry.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import type { IdentityProviders, ProviderSettings } from '../providers.js';
import { ProblemError } from '../../errors/problem.js';
import { LdapConnector, type LdapConfig, type LdapIdentity } from './ldap.js';
import { emailVerifiedBy } from './provider-trust.js';
import { provisionUser, type ExternalIdentity, type ProvisioningDeps } from './provisioning.js';

export interface DirectorySyncDeps extends ProvisioningDeps {
  db: Db;
  registry: EntityRegistry;
  outbound: Outbound;
}

export interface DirectorySchedulerDeps extends DirectorySyncDeps {
  providers: IdentityProviders;
}

export interface SyncResult {
  synced: number;
  /** comptes sans adresse électronique, ou dont l'adresse est celle d'un compte non lié, qu'on ne peut pas provisionner */
  skipped: string[];
}

export function ldapConnector(outbound: Outbound, provider: ProviderSettings): LdapConnector {
  return new LdapConnector({ ...(provider.config as unknown as LdapConfig), bindPassword: provider.secret ?? '' },
    (host, port) => outbound.connectTarget('ldap', host, port));
}

/** Identité externe d'une entrée d'annuaire (sujet : son DN ; adresse vérifiée selon l'option du fournisseur). */
export function ldapIdentity(provider: ProviderSettings, entry: LdapIdentity): ExternalIdentity {
  return { subject: entry.dn, email: entry.email, emailVerified: emailVerifiedBy(provider), name: entry.name, groups: entry.groups };
}

/** Crée et met à jour les comptes de l'annuaire (rôles compris) ; le résultat est gardé sur le fournisseur. */
export async function syncDirectory(deps: DirectorySyncDeps, tenantId: string, provider: ProviderSettings): Promise<SyncResult> {
  const result: SyncResult = { synced: 0, skipped: [] };
  try {
    for (const user of await ldapConnector(deps.outbound, provider).listUsers()) {
      if (!user.email) {
        result.skipped.push(user.username);
        continue;
      }
      try {
        await provisionUser(deps, tenantId, provider, ldapIdentity(provider, user), { purpose: 'sync' });
      } catch (error) {
        // adresse d'un compte auquel l'identité n'est pas liée : un administrateur les liera
        if (error instanceof ProblemError && error.code === 'identity_not_linked') {
          result.skipped.push(user.username);
          continue;
        }
        throw error;
      }
      result.synced++;
    }
    await record(deps, tenantId, provider.id, { ok: true, ...result });
    return result;
  } catch (error) {
    await record(deps, tenantId, provider.id, { ok: false, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** Table des fournisseurs (entité du cœur : la même pour tous les tenants, sans charger de catalogue). */
function providerTable(deps: DirectorySyncDeps) {
  return sql.table(deps.registry.global().get('auth_provider')!.table);
}

async function record(deps: DirectorySyncDeps, tenantId: string, providerId: string, outcome: Record<string, unknown>): Promise<void> {
  const table = providerTable(deps);
  await inTenant(deps.db, { tenantId }, (trx) => sql`UPDATE ${table}
    SET last_sync_at = now(), last_sync_result = ${JSON.stringify({ ...outcome, at: new Date().toISOString() })}::jsonb WHERE id = ${providerId}`.execute(trx));
}

/** Passe périodique : pour chaque tenant actif, les annuaires dont l'intervalle est écoulé. */
export class DirectorySyncScheduler extends DrainWorker {
  constructor(private readonly deps: DirectorySchedulerDeps, onError: (error: unknown) => void = () => undefined) {
    super(onError);
  }

  override start(intervalMs = 60_000): void {
    super.start(intervalMs);
  }

  protected async pass(): Promise<void> {
    for (const tenant of await activeTenants(this.deps.db)) {
      for (const name of await this.claimDue(tenant.id)) {
        const provider = await this.deps.providers.load(tenant.id, name);
        // une erreur d'annuaire est gardée sur le fournisseur ; les autres fournisseurs passent quand même
        if (provider) await syncDirectory(this.deps, tenant.id, provider).catch(() => undefined);
      }
    }
  }

  /** Fournisseurs échus, réservés par ce nœud (last_sync_at avancé de façon conditionnelle, donc par un seul nœud). */
  private async claimDue(tenantId: string): Promise<string[]> {
    const table = providerTable(this.deps);
    return inTenant(this.deps.db, { tenantId }, async (trx) => (await sql<{ name: string }>`
      UPDATE ${table} SET last_sync_at = now()
      WHERE kind = 'ldap' AND enabled AND deleted_at IS NULL AND (config->>'syncIntervalMinutes') ~ '^[0-9]+$'
        AND (config->>'syncIntervalMinutes')::int > 0
        AND (last_sync_at IS NULL OR last_sync_at <= now() - make_interval(mins => (config->>'syncIntervalMinutes')::int))
      RETURNING name`.execute(trx)).rows.map((r) => r.name), { singleStatement: true });
  }
}
