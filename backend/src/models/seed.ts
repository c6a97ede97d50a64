// Données de référence d'un tenant (pays, devises, unités de mesure courantes), semées à la première apparition de son
// catalogue, sans écraser ce que l'administrateur a changé (un enregistrement existant, même supprimé, est gardé).
import { sql } from 'kysely';
import { auditInsert } from '../audit/writer.js';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/database.js';
import { inTenant, type Tx } from '../db/transaction.js';
import type { Catalog } from '../engine/registry.js';
import { countries, currencies } from './reference-data.js';

/** [catégorie, [symbole, nom anglais, nom français, rapport à la référence, arrondi]] ; la première unité est la référence */
const UNITS: [string, string, string, [string, string, string, string, string][]][] = [
  ['unit', 'Units', 'Unités', [['u', 'Unit', 'Unité', '1', '1'], ['dz', 'Dozen', 'Douzaine', '12', '1']]],
  ['mass', 'Mass', 'Masse', [['kg', 'Kilogram', 'Kilogramme', '1', '0.001'], ['g', 'Gram', 'Gramme', '0.001', '1'], ['t', 'Tonne', 'Tonne', '1000', '0.001'], ['lb', 'Pound', 'Livre', '0.45359237', '0.01']]],
  ['length', 'Length', 'Longueur', [['m', 'Metre', 'Mètre', '1', '0.001'], ['cm', 'Centimetre', 'Centimètre', '0.01', '0.1'], ['mm', 'Millimetre', 'Millimètre', '0.001', '1'], ['km', 'Kilometre', 'Kilomètre', '1000', '0.001'], ['in', 'Inch', 'Pouce', '0.0254', '0.01']]],
  ['volume', 'Volume', 'Volume', [['l', 'Litre', 'Litre', '1', '0.001'], ['ml', 'Millilitre', 'Millilitre', '0.001', '1'], ['m3', 'Cubic metre', 'Mètre cube', '1000', '0.001']]],
  ['time', 'Working time', 'Temps de travail', [['h', 'Hour', 'Heure', '1', '0.01'], ['min', 'Minute', 'Minute', '0.016666666667', '1'], ['day', 'Day (8 h)', 'Jour (8 h)', '8', '0.01']]],
];

async function insertCountries(trx: Tx): Promise<void> {
  const rows = countries();
  await sql`INSERT INTO country (id, tenant_id, eid, code, name_en, name_fr)
    SELECT p.id, app_tenant(), p.code, p.code, p.en, p.fr
    FROM unnest(${rows.map(() => uuidv7())}::uuid[], ${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.nameEn)}::text[],
      ${rows.map((r) => r.nameFr)}::text[]) AS p(id, code, en, fr)
    ON CONFLICT DO NOTHING`.execute(trx);
}

async function insertCurrencies(trx: Tx): Promise<void> {
  const rows = currencies();
  await sql`INSERT INTO currency (id, tenant_id, eid, code, name_en, name_fr, symbol, minor_units, active)
    SELECT p.id, app_tenant(), p.code, p.code, p.en, p.fr, p.symbol, p.minor, true
    FROM unnest(${rows.map(() => uuidv7())}::uuid[], ${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.nameEn)}::text[],
      ${rows.map((r) => r.nameFr)}::text[], ${rows.map((r) => r.symbol)}::text[], ${rows.map((r) => r.minorUnits)}::int[]) AS p(id, code, en, fr, symbol, minor)
    ON CONFLICT DO NOTHING`.execute(trx);
}

async function insertUnits(trx: Tx): Promise<void> {
  const categories = UNITS.map(([code, en]) => ({ code, en }));
  await sql`INSERT INTO uom_category (id, tenant_id, eid, name)
    SELECT p.id, app_tenant(), p.code, p.name
    FROM unnest(${categories.map(() => uuidv7())}::uuid[], ${categories.map((c) => c.code)}::text[], ${categories.map((c) => c.en)}::text[]) AS p(id, code, name)
    ON CONFLICT DO NOTHING`.execute(trx);
  const units = UNITS.flatMap(([category, , , list]) => list.map(([symbol, en, , ratio, rounding], i) => ({ category, symbol, en, ratio, rounding, reference: i === 0 })));
  await sql`INSERT INTO uom (id, tenant_id, eid, category, name, symbol, ratio, rounding, reference)
    SELECT p.id, app_tenant(), 'uom-' || p.symbol, c.id, p.name, p.symbol, p.ratio, p.rounding, p.reference
    FROM unnest(${units.map(() => uuidv7())}::uuid[], ${units.map((u) => u.category)}::text[], ${units.map((u) => u.en)}::text[],
      ${units.map((u) => u.symbol)}::text[], ${units.map((u) => u.ratio)}::numeric[], ${units.map((u) => u.rounding)}::numeric[],
      ${units.map((u) => u.reference)}::boolean[]) AS p(id, category, name, symbol, ratio, rounding, reference)
    JOIN uom_category c ON c.eid = p.category
    ON CONFLICT DO NOTHING`.execute(trx);
}

/** Sème le tenant s'il ne l'a jamais été (les devises servent de témoin). */
export async function seedReferenceData(db: Db, tenantId: string, catalog: Catalog): Promise<void> {
  if (!catalog.get('currency')) return;
  await inTenant(db, { tenantId }, async (trx) => {
    const { rows } = await sql`SELECT 1 FROM currency LIMIT 1`.execute(trx);
    if (rows.length) return;
    await insertCountries(trx);
    await insertCurrencies(trx);
    await insertUnits(trx);
    const actor = { tenantId, userId: null, requestId: `reference-seed-${uuidv7()}`, ip: null };
    await auditInsert(actor, [{ action: 'reference.seed', entity: 'reference', changes: { seeded: { from: null, to: ['country', 'currency', 'uom_category', 'uom'] } } }]).execute(trx);
  });
}
