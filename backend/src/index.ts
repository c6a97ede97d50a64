// Face publique de `@opsflux/backend` : ce que la CLI (scripts/) utilise, et rien de plus. Les tests des modules passent
// par `@opsflux/backend/testing/*` (banc de modules) ; tout autre chemin interne est refusé par ESLint hors de backend/.
// Ce fichier ne fait que réexporter : l'importer ne démarre rien (ni base, ni serveur, ni travail de fond), mais évalue
// les modules cités — la CLI ne le charge qu'à la demande, commande par commande.
// Les bancs (bench/) et les tests en boîte blanche (scripts/test, frontend/test/e2e) lisent backend/src par chemin
// relatif, comme backend/test : ils ne passent pas par le paquet.

// plateforme : ouverture (migrations, services), version
export { Platform, type PlatformOptions } from './core/platform.js';
export { VERSION } from './core/version.js';
export type { RequestContext } from './engine/context.js';

// tenants
export { createTenant, ensureTenant, findTenant, DEFAULT_TENANT } from './tenancy/tenants.js';

// base : schéma sous le rôle propriétaire, verrou du dossier de la base embarquée
export { ownerWork } from './db/role-scope.js';
export { DataDirLockedError } from './db/data-dir-lock.js';

// comptes
export { createUser } from './iam/bootstrap.js';

// réglages
export type { SettingAudience, SettingWriter } from './config/settings.js';

// clés et secrets scellés : rotation, retrait
export { retireKeys, rotateKeys, type KeyChange } from './keys/rotation.js';
export type { SealedScan } from './keys/sealed-values.js';

// journal d'audit chaîné
export { verifyAudit } from './audit/verify.js';

// modules : catalogue, manifeste, état par tenant
export { BUNDLED_BACKEND } from './modules/catalog.js';
export { MANIFEST_FILE, parseManifestText } from './modules/manifest.js';
export type { ModuleSummary } from './modules/manager.js';

// import / export de données ; erreurs rendues en problème (champs en cause)
export { EXPORT_FORMATS, exportStream, type ExportFormat } from './services/import-export/export.js';
export { importFormat, importOptions } from './services/import-export/import-options.js';
export { toProblem } from './engine/errors.js';
// lecture de ?filter/?fields/?sort, la même que celle de l'API
export { parseListQuery } from './engine/query/list-params.js';
