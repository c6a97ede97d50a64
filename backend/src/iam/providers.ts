// Fournisseurs d'identité configurés à l'exécution (OIDC, LDAP/AD, SAML), plusieurs par tenant : réglages en clair,
// secret (client secret, mot de passe de liaison, clé privée) chiffré avant d'être écrit et jamais relu par l'API.
import { CHECKED_BY_HOOKS, defineEntity } from '@opsflux/sdk';
import { sql } from 'kysely';
import type { SecretBox } from '../keys/secret-box.js';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import type { Catalog } from '../engine/registry.js';
import type { HookBus, HookPayload } from '../events/hooks.js';
import { ProblemError, validationFailed } from '../errors/problem.js';
import { trustOptionErrors } from './sso/provider-trust.js';
import { checkProviderTarget } from './sso/provider-targets.js';
import type { Outbound } from '../services/outbound/outbound.js';

export const PROVIDER_KINDS = ['oidc', 'ldap', 'saml'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const authProviderEntity = defineEntity({
  name: 'auth_provider',
  module: 'core',
  label: { en: 'Identity provider', fr: "Fournisseur d'identité" },
  display: 'label',
  fields: {
    name: { type: 'string', required: true, unique: true, pattern: '^[a-z0-9][a-z0-9-]{0,39}$', label: { en: 'Identifier', fr: 'Identifiant' } },
    label: { type: 'string', required: true, maxLength: 100, label: { en: 'Label on the login page', fr: 'Libellé de la page de connexion' } },
    kind: { type: 'enum', required: true, options: { values: [...PROVIDER_KINDS] }, label: { en: 'Protocol', fr: 'Protocole' } },
    enabled: { type: 'boolean', default: true, label: { en: 'Enabled', fr: 'Actif' } },
    config: { type: 'json', writableBy: CHECKED_BY_HOOKS, label: { en: 'Settings', fr: 'Réglages' } },
    secret: { type: 'text', writeOnly: true, sealed: true, maxLength: 20_000, label: { en: 'Secret', fr: 'Secret' } },
    roleMapping: { type: 'json', writableBy: CHECKED_BY_HOOKS, label: { en: 'Group → role mapping', fr: 'Correspondance groupes → rôles' } },
    lastSyncAt: { type: 'datetime', readOnly: true, label: { en: 'Last directory sync', fr: "Dernière synchronisation de l'annuaire" } },
    lastSyncResult: { type: 'json', readOnly: true, label: { en: 'Result of the last sync', fr: 'Résultat de la dernière synchronisation' } },
  },
});

/** Réglages obligatoires de chaque protocole. */
const REQUIRED: Record<ProviderKind, string[]> = {
  oidc: ['issuer', 'clientId'],
  ldap: ['url', 'baseDn', 'userFilter'],
  saml: ['idpSsoUrl', 'idpCert', 'idpEntityId'],
};

export interface ProviderSettings {
  id: string;
  name: string;
  label: string;
  kind: ProviderKind;
  config: Record<string, unknown>;
  secret: string | null;
  roleMapping: Record<string, string[]>;
}

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

function checkProvider({ ctx, data, before }: HookPayload, box: SecretBox): void {
  if (!data) return;
  // un fournisseur décide qui se connecte sous quels comptes : c'est un identifiant de tous les comptes qui lui sont liés
  if (!ctx.system && !ctx.access?.admin && !ctx.access?.superAdmin) throw new ProblemError(403, 'forbidden', 'Only a tenant administrator configures identity providers');
  const row = { ...before, ...data };
  const kind = row.kind as ProviderKind;
  const config = (parse(row.config) ?? {}) as Record<string, unknown>;
  const missing = (REQUIRED[kind] ?? []).filter((key) => typeof config[key] !== 'string' || !(config[key] as string).trim());
  if (missing.length) {
    throw validationFailed(missing.map((key) => ({ field: `config.${key}`, code: 'required', message: `${kind} providers need config.${key}` })));
  }
  const trust = trustOptionErrors(kind, config);
  if (trust.length) throw validationFailed(trust);
  const interval = config.syncIntervalMinutes;
  if (interval !== undefined && (kind !== 'ldap' || !Number.isInteger(interval) || (interval as number) < 0 || (interval as number) > 10_080)) {
    throw validationFailed([{ field: 'config.syncIntervalMinutes', code: 'invalid_value', message: 'syncIntervalMinutes is an LDAP setting: whole minutes from 0 (off) to 10080' }]);
  }
  const mapping = parse(row.roleMapping);
  if (mapping !== null && mapping !== undefined && (typeof mapping !== 'object' || Array.isArray(mapping)
    || !Object.values(mapping).every((v) => Array.isArray(v) && v.every((r) => typeof r === 'string')))) {
    throw validationFailed([{ field: 'roleMapping', code: 'invalid_value', message: 'roleMapping maps a group or claim value to a list of role names' }]);
  }
  if (typeof data.secret === 'string' && data.secret) data.secret = box.seal(data.secret);
}

export class IdentityProviders {
  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly catalogOf: (tenantId: string) => Promise<Catalog>,
    private readonly outbound: Outbound) {}

  install(hooks: HookBus): void {
    for (const event of ['beforeCreate', 'beforeUpdate'] as const) {
      hooks.on(event, 'auth_provider', (payload) => checkProvider(payload, this.box));
      hooks.on(event, 'auth_provider', (payload) => checkProviderTarget(payload, this.outbound));
    }
  }

  /** Fournisseurs actifs d'un tenant, pour la page de connexion (sans aucun réglage). */
  async listPublic(tenantId: string): Promise<Array<{ name: string; label: string; kind: ProviderKind }>> {
    const table = (await this.catalogOf(tenantId)).get('auth_provider')!.table;
    return inTenant(this.db, { tenantId }, async (trx) => (await sql<{ name: string; label: string; kind: ProviderKind }>`
      SELECT name, label, kind FROM ${sql.table(table)} WHERE enabled AND deleted_at IS NULL ORDER BY label`.execute(trx)).rows, { singleStatement: true });
  }

  /** Réglages complets d'un fournisseur actif, secret déchiffré ; undefined s'il n'existe pas ou est désactivé. */
  async load(tenantId: string, name: string): Promise<ProviderSettings | undefined> {
    const table = (await this.catalogOf(tenantId)).get('auth_provider')!.table;
    const row = await inTenant(this.db, { tenantId }, async (trx) => (await sql<ProviderSettings & { role_mapping: ProviderSettings['roleMapping'] }>`
      SELECT id, name, label, kind, coalesce(config, '{}') AS config, secret, coalesce(role_mapping, '{}') AS role_mapping
      FROM ${sql.table(table)} WHERE name = ${name} AND enabled AND deleted_at IS NULL`.execute(trx)).rows[0], { singleStatement: true });
    if (!row) return undefined;
    return { id: row.id, name: row.name, label: row.label, kind: row.kind, config: row.config, secret: row.secret ? this.box.open(row.secret) : null, roleMapping: row.role_mapping };
  }
}
