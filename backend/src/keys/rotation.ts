// Rotation et retrait des clés (commandes `opsflux secrets rotate` et `opsflux secrets retire`).
// rotate : une clé neuve devient la courante de chaque sorte dans la source où l'on peut écrire (fichier de clés, ou
// base en développement ; une clé de l'environnement ne se change que dans l'environnement), tous les nœuds relisent
// leur trousseau, puis chaque valeur scellée est re-scellée sous la clé de chiffrement courante. Les anciennes clés
// restent : jetons d'accès et curseurs déjà émis restent valables, personne n'est déconnecté.
// retire : une fois tout re-scellé, les clés autres que la courante sont retirées de leur source ; les jetons d'accès
// encore signés par elles sont alors refusés (les jetons de rafraîchissement, opaques, ne dépendent d'aucune clé).
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { platformStatement } from '../db/transaction.js';
import type { EntityModel } from '../engine/model.js';
import { listTenants } from '../tenancy/tenants.js';
import { SecretBox } from './secret-box.js';
import { addDatabaseKey, databaseKeys, deleteDatabaseKeys } from './db-keys.js';
import { ENV_KEY_VARIABLES, PREVIOUS_SUFFIX } from './env-keys.js';
import { readKeyFile, writeKeyFile, type FileKeys } from './key-file.js';
import { generateKey, KEY_KINDS, Keyring, type KeyKind, type KeyOrigin } from './keyring.js';
import { KEYS_CHANNEL, type PlatformKeys } from './platform-keys.js';
import { addScans, rotationRequestId, scanPlatform, scanTenant, sealedColumns, type SealedScan, type ScanOptions } from './sealed-values.js';

/** Ce dont la rotation a besoin de la plateforme ouverte. */
export interface KeyMaintenanceTarget {
  db: Db;
  keys: PlatformKeys;
  box: SecretBox;
  registry: { allLoaded(): Map<string, EntityModel> };
}

export interface MaintenanceOptions {
  /** tenants à traiter (par défaut tous) ; une passe partielle ne supprime jamais de clé de la base */
  tenants?: readonly string[];
}

export interface KeyChange {
  kind: KeyKind;
  /** source de la clé courante après l'opération */
  origin: KeyOrigin;
  keyId: string;
  /** une clé neuve a été créée */
  created: boolean;
  /** clé de l'environnement : ce que l'exploitant doit faire lui-même */
  note?: string;
}

export interface TenantScan extends SealedScan {
  tenantId: string;
  slug: string;
}

export interface RotationReport {
  keys: KeyChange[];
  /** fichier de clés écrit */
  file?: string;
  platform: SealedScan;
  tenants: TenantScan[];
  total: SealedScan['total'];
}

export interface RetireReport {
  /** clés retirées par sorte */
  retired: Record<KeyKind, number>;
  file?: string;
  databaseKeysDeleted: number;
  /** clés de la base gardées, et pourquoi */
  databaseKeysKept?: string;
  /** variables d'environnement des clés précédentes à retirer par l'exploitant */
  environmentPrevious: string[];
  scan: SealedScan;
}

/** Refus de retirer les clés : des valeurs sont encore scellées sous une ancienne clé. */
export class StaleSecretsError extends Error {
  constructor(readonly scan: SealedScan) {
    super(`${scan.total.stale} stored secret(s) are still sealed with an older key (${Object.entries(scan.places).filter(([, t]) => t.stale).map(([p, t]) => `${p}: ${t.stale}`).join(', ')}): run "opsflux secrets rotate" first`);
  }
}

export async function rotateKeys(target: KeyMaintenanceTarget, options: MaintenanceOptions = {}): Promise<RotationReport> {
  const { keys } = target;
  const ring = keys.ring;
  const writable = KEY_KINDS.filter((kind) => ring.current(kind).origin !== 'env');
  const fresh = new Map(writable.map((kind) => [kind, generateKey(kind, keys.sources.file ? 'file' : 'database')]));
  if (keys.sources.file) {
    const file = readKeyFile(keys.sources.file) ?? {};
    writeKeyFile(keys.sources.file, {
      ...file,
      ...Object.fromEntries([...fresh].map(([kind, key]) => [kind, [key, ...(file[kind] ?? [])]])),
    });
  } else {
    for (const key of fresh.values()) await addDatabaseKey(target.db, key);
  }
  await keysChanged(target);
  const changes: KeyChange[] = KEY_KINDS.map((kind) => {
    const current = keys.current(kind);
    return {
      kind, origin: current.origin, keyId: current.id, created: fresh.has(kind),
      ...(current.origin === 'env' ? { note: envNote(kind) } : {}),
    };
  });
  const scans = await scanAll(target, { apply: true }, options);
  return { keys: changes, ...(keys.sources.file ? { file: keys.sources.file } : {}), ...scans };
}

export async function retireKeys(target: KeyMaintenanceTarget, options: MaintenanceOptions = {}): Promise<RetireReport> {
  const { keys, db } = target;
  const complete = !options.tenants;
  const stored = keys.sources.file ? Object.values(await databaseKeys(db)).flat() : [];
  // avec un fichier de clés, les clés restées dans la base ne sont pas dans le trousseau : on vérifie qu'elles ne
  // protègent plus rien avant de les supprimer
  const databaseBox = stored.length ? new SecretBox(new Keyring({ encryption: stored.filter((k) => k.kind === 'encryption') })) : undefined;
  const { platform, tenants, total } = await scanAll(target, { apply: false, databaseBox }, options);
  const scan = addScans([platform, ...tenants]);
  if (total.stale > 0) throw new StaleSecretsError(scan);

  const ring = keys.ring;
  const retired = Object.fromEntries(KEY_KINDS.map((kind) => [kind, 0])) as Record<KeyKind, number>;
  const report: RetireReport = { retired, databaseKeysDeleted: 0, environmentPrevious: [], scan };
  if (keys.sources.file) {
    const file = readKeyFile(keys.sources.file) ?? {};
    const kept: FileKeys = Object.fromEntries(KEY_KINDS.map((kind) => {
      const current = ring.current(kind);
      const keep = (file[kind] ?? []).filter((k) => current.origin === 'file' && k.id === current.id);
      retired[kind] += (file[kind]?.length ?? 0) - keep.length;
      return [kind, keep];
    }));
    writeKeyFile(keys.sources.file, kept);
    report.file = keys.sources.file;
    if (stored.length && complete && total.databaseOnly === 0) {
      report.databaseKeysDeleted = await deleteDatabaseKeys(db, new Set());
    } else if (stored.length) {
      report.databaseKeysKept = complete
        ? `${total.databaseOnly} stored secret(s) open only with keys kept in the database (they were never copied to the key file)`
        : 'only some tenants were checked';
    }
  } else {
    const keep = new Set(KEY_KINDS.map((kind) => ring.current(kind)).filter((k) => k.origin === 'database').map((k) => k.id));
    const before = await databaseKeys(db);
    report.databaseKeysDeleted = await deleteDatabaseKeys(db, keep);
    for (const kind of KEY_KINDS) retired[kind] += before[kind].filter((k) => !keep.has(k.id)).length;
  }
  for (const kind of KEY_KINDS) {
    if (ring.all(kind).some((k) => k.origin === 'env' && k.id !== ring.current(kind).id)) report.environmentPrevious.push(`${ENV_KEY_VARIABLES[kind]}${PREVIOUS_SUFFIX}`);
  }
  await keysChanged(target);
  return report;
}

/** Ce nœud relit ses clés tout de suite, les autres à l'annonce. */
async function keysChanged(target: KeyMaintenanceTarget): Promise<void> {
  await target.keys.reload();
  await platformStatement(target.db, sql`SELECT pg_notify(${KEYS_CHANNEL}, '')`);
}

async function scanAll(target: KeyMaintenanceTarget, scanOptions: ScanOptions, options: MaintenanceOptions): Promise<Omit<RotationReport, 'keys' | 'file'>> {
  const columns = await sealedColumns(target.db, target.registry.allLoaded().values());
  const platform = await scanPlatform(target.db, target.box, scanOptions);
  const only = options.tenants ? new Set(options.tenants) : undefined;
  const requestId = rotationRequestId();
  const tenants: TenantScan[] = [];
  for (const tenant of await listTenants(target.db)) {
    if (only && !only.has(tenant.id)) continue;
    const scan = await scanTenant(target.db, tenant.id, target.box, columns, scanOptions, requestId);
    tenants.push({ tenantId: tenant.id, slug: tenant.slug, ...scan });
  }
  return { platform, tenants, total: addScans([platform, ...tenants]).total };
}

function envNote(kind: KeyKind): string {
  const variable = ENV_KEY_VARIABLES[kind];
  return `${variable} comes from the environment: put the new key in ${variable} and the old one in ${variable}${PREVIOUS_SUFFIX}, `
    + 'restart every node, then run "opsflux secrets rotate" again to re-seal under it';
}
