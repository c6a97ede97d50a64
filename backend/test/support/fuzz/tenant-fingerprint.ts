// Empreinte des données d'un tenant : nombre de lignes et hachage du contenu de chaque table qui porte `tenant_id`,
// lus en propriétaire de la base. Le tenant est posé dans la transaction : là où le propriétaire n'est pas
// superutilisateur (passe « propriétaire ordinaire »), la RLS forcée s'applique aussi à lui et ne montrerait rien sinon.
import { sql } from 'kysely';
import type { Platform } from '../../../src/core/platform.js';
import { asOwner, inTenant } from '../../../src/db/transaction.js';

/**
 * Colonnes écrites par le travail de fond et non par les requêtes : le chaînage de l'audit (`audit/chainer.ts`)
 * complète seq, prev_hash et hash des lignes après le commit, et tient la tête de chaîne dans audit_head.
 */
const BACKGROUND_COLUMNS: Record<string, string[]> = { audit_log: ['seq', 'prev_hash', 'hash'] };
const BACKGROUND_TABLES = new Set(['audit_head']);

export type Fingerprint = Record<string, { rows: number; hash: string }>;

export async function tenantFingerprint(platform: Platform, tenantId: string): Promise<Fingerprint> {
  return inTenant(platform.db, { tenantId }, (trx) => asOwner(trx, async () => {
    const tables = (await sql<{ name: string }>`SELECT c.table_name AS name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY 1`.execute(trx)).rows.map((r) => r.name).filter((name) => !BACKGROUND_TABLES.has(name));
    const parts = tables.map((name) => {
      const skipped = BACKGROUND_COLUMNS[name];
      const row = skipped ? sql`to_jsonb(x) - ARRAY[${sql.join(skipped.map((c) => sql.lit(c)))}]::text[]` : sql`to_jsonb(x)`;
      return sql`SELECT ${name}::text AS name, count(*)::int AS rows, md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) AS hash
        FROM (SELECT ${row} AS r FROM ${sql.table(name)} x WHERE x.tenant_id = ${tenantId}) s`;
    });
    const rows = (await sql<{ name: string; rows: number; hash: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(trx)).rows;
    return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, hash: r.hash }]));
  }));
}

/** Tables dont le contenu diffère entre deux empreintes. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name]?.hash !== after[name]?.hash).sort();
}
