// Valeurs scellées stockées : réglages secrets (plateforme et tenants) et champs d'entités marqués `sealed` (cœur,
// modules chargés : trouvés par les métadonnées, sans liste ici). Une passe les lit par lots et re-scelle sous la clé
// courante celles qui n'y sont pas encore (ou les compte seulement). Chaque tenant passe dans sa propre transaction,
// sous le rôle applicatif ; un tenant re-scellé laisse une entrée d'audit avec les comptes, sans toucher aux versions
// des enregistrements. Une valeur changée entre la lecture et l'écriture (un utilisateur l'a réécrite) est laissée.
import { sql, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { auditInsert } from '../audit/writer.js';
import type { Db } from '../db/database.js';
import { inPlatform, inTenant, platformStatement, type Tx } from '../db/transaction.js';
import type { EntityModel } from '../engine/model.js';
import { SecretBox } from './secret-box.js';

/** Colonne d'une table d'entité qui garde des valeurs scellées. */
export interface SealedColumn {
  /** `entité.champ`, pour les comptes */
  label: string;
  table: string;
  column: string;
}

/** Ce qu'une passe a trouvé hors de la clé courante. */
export interface SealedTally {
  /** re-scellées sous la clé courante (ou à re-sceller, pour une passe qui compte seulement) */
  stale: number;
  /** illisibles avec le trousseau (clé absente, valeur altérée) : laissées telles quelles */
  unreadable: number;
  /** parmi les illisibles, celles qu'ouvre une clé gardée seulement dans la base (voir `databaseBox`) */
  databaseOnly: number;
}

export interface SealedScan {
  /** par emplacement : `settings` ou `entité.champ` ; seuls les emplacements concernés figurent */
  places: Record<string, SealedTally>;
  total: SealedTally;
}

export interface ScanOptions {
  /** re-sceller (sinon compter seulement) */
  apply: boolean;
  /** boîte des clés gardées dans la base quand elles ne sont pas dans le trousseau (fichier de clés) */
  databaseBox?: SecretBox;
}

// valeurs rescellées par lot pendant une rotation : taille de lot technique
const BATCH = 500;

/** Colonnes scellées des modèles donnés qui existent dans la base (une fois chacune, dans la table qui la déclare). */
export async function sealedColumns(db: Db, models: Iterable<EntityModel>): Promise<SealedColumn[]> {
  const found = new Map<string, SealedColumn>();
  for (const model of models) {
    for (const field of model.fields) {
      if (!field.def.sealed || field.custom) continue;
      const table = model.chain.find((link) => link.entity === field.owner)!.table;
      found.set(`${table}.${field.column}`, { label: `${field.owner}.${field.name}`, table, column: field.column });
    }
  }
  const existing: SealedColumn[] = [];
  for (const column of found.values()) {
    // table d'un module chargé mais jamais installé : pas encore créée
    const { rows } = await platformStatement(db, sql<{ present: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_attribute
      WHERE attrelid = to_regclass(${`"${column.table}"`}) AND attname = ${column.column} AND NOT attisdropped) AS present`);
    if (rows[0]?.present) existing.push(column);
  }
  return existing;
}

/** Réglages de la plateforme (`platform_setting`), sous le rôle de plateforme. */
export function scanPlatform(db: Db, box: SecretBox, options: ScanOptions): Promise<SealedScan> {
  return inPlatform(db, async (trx) => {
    const scan = emptyScan();
    await pass(trx, box, options, scan, 'settings', {
      select: (prefix, after) => sql<Row>`SELECT key AS id, sealed AS value FROM platform_setting
        WHERE sealed IS NOT NULL AND NOT starts_with(sealed, ${prefix}) AND key > ${after ?? ''} ORDER BY key LIMIT ${BATCH}`,
      update: (ids, old, sealed) => sql`UPDATE platform_setting SET sealed = v.sealed
        FROM unnest(${ids}::text[], ${old}::text[], ${sealed}::text[]) AS v(key, old, sealed)
        WHERE platform_setting.key = v.key AND platform_setting.sealed = v.old`,
    });
    return scan;
  });
}

/** Réglages et champs scellés d'un tenant, dans une transaction du tenant ; une entrée d'audit s'il y a eu re-scellement. */
export function scanTenant(db: Db, tenantId: string, box: SecretBox, columns: readonly SealedColumn[], options: ScanOptions, requestId: string): Promise<SealedScan> {
  return inTenant(db, { tenantId }, async (trx) => {
    const scan = emptyScan();
    await pass(trx, box, options, scan, 'settings', {
      select: (prefix, after) => sql<Row>`SELECT id::text AS id, sealed AS value FROM setting_value
        WHERE sealed IS NOT NULL AND NOT starts_with(sealed, ${prefix}) AND id > ${after ?? ZERO}::uuid ORDER BY id LIMIT ${BATCH}`,
      update: (ids, old, sealed) => sql`UPDATE setting_value SET sealed = v.sealed
        FROM unnest(${ids}::uuid[], ${old}::text[], ${sealed}::text[]) AS v(id, old, sealed)
        WHERE setting_value.id = v.id AND setting_value.sealed = v.old`,
    });
    for (const { label, table, column } of columns) {
      const t = sql.table(table);
      const c = sql.ref(column);
      await pass(trx, box, options, scan, label, {
        select: (prefix, after) => sql<Row>`SELECT id::text AS id, ${c} AS value FROM ${t}
          WHERE ${c} IS NOT NULL AND NOT starts_with(${c}, ${prefix}) AND id > ${after ?? ZERO}::uuid ORDER BY id LIMIT ${BATCH}`,
        update: (ids, old, sealed) => sql`UPDATE ${t} SET ${c} = v.sealed
          FROM unnest(${ids}::uuid[], ${old}::text[], ${sealed}::text[]) AS v(id, old, sealed)
          WHERE ${t}.id = v.id AND ${t}.${c} = v.old`,
      });
    }
    if (options.apply && scan.total.stale > 0) {
      const counts = Object.fromEntries(Object.entries(scan.places).map(([place, tally]) => [place, tally.stale]));
      await auditInsert({ tenantId, userId: null, requestId, ip: null }, [{
        action: 'secrets.resealed', entity: 'secret',
        changes: { keyId: { from: null, to: box.currentKeyId() }, resealed: { from: null, to: counts } },
      }]).execute(trx);
    }
    return scan;
  });
}

const ZERO = '00000000-0000-0000-0000-000000000000';

interface Row {
  id: string;
  value: string;
}

interface PassQueries {
  /** lot suivant des valeurs qui ne commencent pas par le préfixe de la clé courante, après l'identifiant donné */
  select(prefix: string, after: string | undefined): RawBuilder<Row>;
  update(ids: string[], old: string[], sealed: string[]): RawBuilder<unknown>;
}

async function pass(trx: Tx, box: SecretBox, options: ScanOptions, scan: SealedScan, place: string, queries: PassQueries): Promise<void> {
  const prefix = `v2.${box.currentKeyId()}.`;
  let after: string | undefined;
  for (;;) {
    const { rows } = await queries.select(prefix, after).execute(trx);
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    const ids: string[] = [];
    const old: string[] = [];
    const sealed: string[] = [];
    for (const row of rows) {
      const plain = tryOpen(box, row.value);
      if (plain === undefined) {
        count(scan, place, 'unreadable');
        if (options.databaseBox && tryOpen(options.databaseBox, row.value) !== undefined) count(scan, place, 'databaseOnly');
        continue;
      }
      count(scan, place, 'stale');
      ids.push(row.id);
      old.push(row.value);
      sealed.push(box.seal(plain));
    }
    if (options.apply && ids.length) await queries.update(ids, old, sealed).execute(trx);
    if (rows.length < BATCH) return;
  }
}

function tryOpen(box: SecretBox, sealed: string): string | undefined {
  try {
    return box.open(sealed);
  } catch {
    return undefined;
  }
}

function emptyScan(): SealedScan {
  return { places: {}, total: { stale: 0, unreadable: 0, databaseOnly: 0 } };
}

function count(scan: SealedScan, place: string, what: keyof SealedTally): void {
  const tally = (scan.places[place] ??= { stale: 0, unreadable: 0, databaseOnly: 0 });
  tally[what] += 1;
  scan.total[what] += 1;
}

/** Somme de plusieurs passes. */
export function addScans(scans: readonly SealedScan[]): SealedScan {
  const sum = emptyScan();
  for (const scan of scans) {
    for (const [place, tally] of Object.entries(scan.places)) {
      for (const what of ['stale', 'unreadable', 'databaseOnly'] as const) {
        const target = (sum.places[place] ??= { stale: 0, unreadable: 0, databaseOnly: 0 });
        target[what] += tally[what];
        sum.total[what] += tally[what];
      }
    }
  }
  return sum;
}

/** Identifiant de requête des entrées d'audit d'une rotation. */
export function rotationRequestId(): string {
  return `secrets-${uuidv7()}`;
}
