// Import des taux de change : CSV (`date,base,quote,rate[,source]`) ou flux quotidien au format de la BCE
// (`<Cube time='…'><Cube currency='USD' rate='1.09'/>`), en une instruction par lot ; une ligne d'audit résume l'import.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { auditInsert, type AuditActor } from '../../audit/writer.js';
import type { Tx } from '../../db/transaction.js';
import { ProblemError, validationFailed } from '../../errors/problem.js';
import type { FieldError } from '@opsflux/sdk';
import { CURRENCY_CODE } from './currency-conversion.js';
import { DECIMAL_TEXT, validDate } from '../../errors/field-problems.js';

export interface RateInput {
  date: string;
  base: string;
  quote: string;
  rate: string;
  source: string;
}

// taux par envoi : borne le travail d'une requête ; un historique plus long s'envoie en plusieurs fois
export const MAX_RATE_ROWS = 100_000;

/** CSV avec en-tête ; toutes les lignes fautives sont signalées (numéro de ligne), rien n'est importé alors. */
export function parseRatesCsv(text: string, defaultSource = 'csv'): RateInput[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const header = (lines.shift() ?? '').toLowerCase().split(/[,;]/).map((h) => h.trim());
  const index = (name: string) => header.indexOf(name);
  const missing = ['date', 'base', 'quote', 'rate'].filter((h) => index(h) < 0);
  if (missing.length) throw validationFailed(missing.map((h) => ({ field: 'header', code: 'required', message: `Column "${h}" is missing` })));
  if (lines.length > MAX_RATE_ROWS) throw new ProblemError(413, 'payload_too_large', `At most ${MAX_RATE_ROWS} rates per import`);
  const errors: FieldError[] = [];
  const rows = lines.map((line, i) => {
    const cells = line.split(/[,;]/).map((c) => c.trim());
    const row: RateInput = {
      date: cells[index('date')] ?? '', base: (cells[index('base')] ?? '').toUpperCase(), quote: (cells[index('quote')] ?? '').toUpperCase(),
      rate: cells[index('rate')] ?? '', source: (index('source') >= 0 ? cells[index('source')] : '') || defaultSource,
    };
    const problems = [
      !validDate(row.date) && 'date (YYYY-MM-DD)',
      (!CURRENCY_CODE.test(row.base) || !CURRENCY_CODE.test(row.quote) || row.base === row.quote) && 'two different ISO 4217 codes',
      (!DECIMAL_TEXT.test(row.rate) || Number(row.rate) <= 0) && 'a positive rate',
    ].filter(Boolean);
    if (problems.length) errors.push({ field: `line ${i + 2}`, code: 'invalid_value', message: `Expected ${problems.join(', ')}` });
    return row;
  });
  if (errors.length) throw validationFailed(errors.slice(0, 100));
  return rows;
}

/** Flux de la BCE (eurofxref-daily.xml / hist) : taux EUR → devise, par jour. */
export function parseEcbXml(text: string, source = 'ecb'): RateInput[] {
  const rows: RateInput[] = [];
  for (const day of text.matchAll(/<Cube\s+time=['"](\d{4}-\d{2}-\d{2})['"]\s*>([\s\S]*?)<\/Cube>/g)) {
    for (const entry of day[2]!.matchAll(/<Cube\s+currency=['"]([A-Z]{3})['"]\s+rate=['"]([0-9.]+)['"]\s*\/>/g)) {
      rows.push({ date: day[1]!, base: 'EUR', quote: entry[1]!, rate: entry[2]!, source });
    }
  }
  return rows;
}

/** Taux d'un fournisseur : XML de la BCE, sinon CSV. */
export function parseProviderRates(body: string, source: string): RateInput[] {
  return body.includes('<Cube') ? parseEcbXml(body, source) : parseRatesCsv(body, source);
}

/**
 * Enregistre les taux (création, ou mise à jour du même couple et du même jour), dans la transaction du tenant.
 * Une devise inconnue du tenant fait échouer tout l'import.
 */
export async function importRates(trx: Tx, actor: AuditActor, rows: RateInput[]): Promise<{ imported: number; from: string | null; to: string | null }> {
  if (!rows.length) return { imported: 0, from: null, to: null };
  const codes = [...new Set(rows.flatMap((r) => [r.base, r.quote]))];
  const known = await sql<{ code: string }>`SELECT code FROM currency WHERE code IN (${sql.join(codes)}) AND deleted_at IS NULL`.execute(trx);
  const unknown = codes.filter((c) => !known.rows.some((r) => r.code === c));
  if (unknown.length) throw validationFailed(unknown.map((c) => ({ field: 'currency', code: 'unknown_currency', message: `Unknown currency ${c}` })));
  const { rows: written } = await sql<{ id: string }>`
    INSERT INTO exchange_rate (id, tenant_id, eid, base, quote, date, rate, source, created_by, updated_by)
    SELECT p.id, app_tenant(), p.base || '-' || p.quote || '-' || p.date, b.id, q.id, p.date::date, p.rate, p.source, app_user(), app_user()
    FROM unnest(${rows.map(() => uuidv7())}::uuid[], ${rows.map((r) => r.base)}::text[], ${rows.map((r) => r.quote)}::text[],
      ${rows.map((r) => r.date)}::text[], ${rows.map((r) => r.rate)}::numeric[], ${rows.map((r) => r.source)}::text[]) AS p(id, base, quote, date, rate, source)
    JOIN currency b ON b.code = p.base AND b.deleted_at IS NULL
    JOIN currency q ON q.code = p.quote AND q.deleted_at IS NULL
    ON CONFLICT (tenant_id, eid) DO UPDATE SET rate = excluded.rate, source = excluded.source,
      version = exchange_rate.version + 1, updated_at = now(), updated_by = excluded.updated_by
    WHERE exchange_rate.rate IS DISTINCT FROM excluded.rate
    RETURNING id`.execute(trx);
  const dates = rows.map((r) => r.date).sort();
  const summary = { imported: written.length, from: dates[0]!, to: dates.at(-1)! };
  await auditInsert(actor, [{ action: 'exchange_rate.import', entity: 'exchange_rate', changes: { import: { from: null, to: { ...summary, rows: rows.length } } } }]).execute(trx);
  return summary;
}
