// Migrations versionnées, contrôlées par empreinte, transactionnelles, sous verrou consultatif (un seul nœud migre).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../database.js';
import { ownerWork } from '../role-scope.js';

export interface Migration {
  version: number;
  name: string;
  /** une instruction SQL par élément (PGlite n'accepte pas plusieurs instructions paramétrées) */
  statements: string[];
}

export interface MigrationReport {
  scope: string;
  applied: string[];
  current: number;
}

export class MigrationChecksumError extends Error {
  constructor(scope: string, version: number, name: string) {
    super(`migration ${scope}#${version} (${name}) was modified after it was applied`);
  }
}

export function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex');
}

const LOCK_KEY = 0x0f5f1a; // clé du verrou consultatif des migrations

export function runMigrations(db: Db, scope: string, migrations: Migration[]): Promise<MigrationReport> {
  return ownerWork(() => db.transaction().execute((trx) => applyMigrations(trx, scope, migrations)));
}

/** Applique les migrations manquantes dans une transaction ouverte (celle de l'installation d'un module, par exemple). */
export async function applyMigrations(trx: Db, scope: string, migrations: Migration[]): Promise<MigrationReport> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
  await sql`CREATE TABLE IF NOT EXISTS schema_migration (
    scope text NOT NULL, version integer NOT NULL, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, version))`.execute(trx);
  const done = await sql<{ version: number; checksum: string }>`
    SELECT version, checksum FROM schema_migration WHERE scope = ${scope}`.execute(trx);
  const applied = new Map(done.rows.map((r) => [r.version, r.checksum]));
  const report: MigrationReport = { scope, applied: [], current: 0 };
  for (const migration of sorted) {
    const sum = checksum(migration);
    const previous = applied.get(migration.version);
    if (previous !== undefined) {
      if (previous !== sum) throw new MigrationChecksumError(scope, migration.version, migration.name);
      report.current = migration.version;
      continue;
    }
    for (const statement of migration.statements) await sql.raw(statement).execute(trx);
    await sql`INSERT INTO schema_migration (scope, version, name, checksum)
      VALUES (${scope}, ${migration.version}, ${migration.name}, ${sum})`.execute(trx);
    report.applied.push(`${migration.version}-${migration.name}`);
    report.current = migration.version;
  }
  return report;
}

/** Oublie les migrations d'une portée (module désinstallé avec ses données). */
export async function forgetMigrations(trx: Db, scope: string): Promise<void> {
  await sql`DELETE FROM schema_migration WHERE scope = ${scope}`.execute(trx);
}
