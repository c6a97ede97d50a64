// Parcours SAML côté OpsFlux : un connecteur par fournisseur configuré, adresses propres au tenant, anti-rejeu en base.
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import type { ProviderSettings } from '../providers.js';
import { SamlConnector, type SamlReplayStore } from './saml.js';

export class SamlFlows {
  constructor(private readonly db: Db, private readonly publicUrl: string) {}

  base(tenantSlug: string, provider: string): string {
    return `${this.publicUrl}/api/v1/auth/saml/${encodeURIComponent(tenantSlug)}/${encodeURIComponent(provider)}`;
  }

  connector(tenantSlug: string, provider: ProviderSettings): SamlConnector {
    const config = provider.config as { idpEntityId: string; idpSsoUrl: string; idpCert: string; entityId?: string; groupsAttribute?: string };
    const base = this.base(tenantSlug, provider.name);
    return new SamlConnector({
      entityId: config.entityId ?? `${base}/metadata`, acsUrl: `${base}/acs`, idpEntityId: config.idpEntityId, idpSsoUrl: config.idpSsoUrl,
      idpCert: config.idpCert, groupsAttribute: config.groupsAttribute,
    });
  }

  /** Magasin anti-rejeu du tenant : une insertion par assertion, les expirées sont purgées au passage. */
  replayStore(tenantId: string): SamlReplayStore {
    return {
      remember: (id, expiresAt) => inTenant(this.db, { tenantId }, async (trx) => {
        await sql`DELETE FROM saml_assertion WHERE expires_at < now()`.execute(trx);
        const { rows } = await sql`INSERT INTO saml_assertion (tenant_id, id, expires_at) VALUES (app_tenant(), ${id}, ${expiresAt})
          ON CONFLICT DO NOTHING RETURNING id`.execute(trx);
        return rows.length === 1;
      }),
    };
  }
}
