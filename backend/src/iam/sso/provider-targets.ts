// Adresse d'un fournisseur que le serveur contacte lui-même (découverte et jetons OpenID, annuaire LDAP) : contrôlée
// à l'enregistrement par la politique des connexions sortantes ; chaque connexion la contrôle de nouveau.
import type { HookPayload } from '../../events/hooks.js';
import { validationFailed } from '../../errors/problem.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import type { OutboundKind } from '../../services/outbound/policy.js';

const TARGETS: Record<string, { key: string; kind: OutboundKind; schemes: string[] }> = {
  oidc: { key: 'issuer', kind: 'oidc', schemes: ['http:', 'https:'] },
  ldap: { key: 'url', kind: 'ldap', schemes: ['ldap:', 'ldaps:'] },
};

export async function checkProviderTarget({ ctx, trx, data, before }: HookPayload, outbound: Outbound): Promise<void> {
  if (!data || !('config' in data || 'kind' in data)) return;
  const kind = (data.kind ?? before?.kind) as string;
  const raw = 'config' in data ? data.config : before?.config;
  const config = (typeof raw === 'string' ? JSON.parse(raw) : raw ?? {}) as Record<string, unknown>;
  const target = TARGETS[kind];
  const value = target && config[target.key];
  if (!target || typeof value !== 'string') return;
  const problem = await outbound.urlProblem(target.kind, value, ctx.locale, { schemes: target.schemes, open: { tenantId: ctx.tenantId, trx } });
  if (problem) throw validationFailed([{ field: `config.${target.key}`, ...problem }]);
}
