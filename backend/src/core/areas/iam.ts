// Domaine identité et accès : fournisseurs d'identité, MFA, authentification, courriels de compte, parcours SSO,
// synchronisation des annuaires (travailleur de fond).
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import type { EntityRegistry } from '../../engine/registry.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { HookBus } from '../../events/hooks.js';
import { AccountMail } from '../../iam/account-mail.js';
import { AuthService } from '../../iam/auth-service.js';
import { MfaService } from '../../iam/mfa.js';
import { IdentityProviders } from '../../iam/providers.js';
import { DirectorySyncScheduler } from '../../iam/sso/directory-sync.js';
import { OidcFlows } from '../../iam/sso/oidc-flow.js';
import { SamlFlows } from '../../iam/sso/saml-flow.js';
import { SecondFactorStep } from '../../iam/sso/second-factor-step.js';
import type { TokenSigner } from '../../iam/tokens.js';
import type { SecretBox } from '../../keys/secret-box.js';
import type { Mailer } from '../../services/email/transport/mailer.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Lifecycle } from '../lifecycle.js';
import type { PlatformServices } from '../services.js';

export interface IamAreaDeps {
  db: Db;
  registry: EntityRegistry;
  records: RecordService;
  hooks: HookBus;
  box: SecretBox;
  signer: TokenSigner;
  settings: Settings;
  outbound: Outbound;
  mailer: Mailer;
  publicUrl: string;
  catalog: CatalogOf;
  tenantTx: TenantTx;
  accessChanged: (tenantId: string) => Promise<void>;
  onError?: (error: unknown) => void;
}

export type IamArea = Pick<PlatformServices, 'providers' | 'mfa' | 'auth' | 'accountMail' | 'oidc' | 'saml' | 'secondFactor' | 'directorySync'>;

export function wireIam(deps: IamAreaDeps, lifecycle: Lifecycle): IamArea {
  const { db, box, settings, outbound, publicUrl } = deps;
  const providers = new IdentityProviders(db, box, deps.catalog, outbound);
  providers.install(deps.hooks);
  const mfa = new MfaService(db, box, deps.accessChanged);
  const directorySync = new DirectorySyncScheduler({
    db, records: deps.records, registry: deps.registry, catalog: deps.catalog, tenantTx: deps.tenantTx, settings, outbound, providers,
  }, deps.onError);
  lifecycle.worker(directorySync);
  return {
    providers,
    mfa,
    auth: new AuthService(db, deps.signer, mfa, settings),
    accountMail: new AccountMail(db, deps.mailer, publicUrl, settings),
    oidc: new OidcFlows(box, publicUrl, outbound),
    saml: new SamlFlows(db, publicUrl),
    secondFactor: new SecondFactorStep(box),
    directorySync,
  };
}
