// Tirage des numéros de séquence. Sans trou : le compteur est verrouillé jusqu'à la fin de la transaction appelante
// (un numéro annulé avec elle est réutilisé). Rapide : une séquence PostgreSQL (aucune attente entre écritures, un
// numéro annulé est perdu).
import { sql } from 'kysely';
import { pgIdent } from '../../db/database.js';
import { APP_ROLE } from '../../db/roles.js';
import { asOwner, type Tx } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';

export interface DrawOptions {
  /** date des parties `{YYYY}`… et de la période de remise à zéro (défaut : aujourd'hui) */
  date?: string;
  /** société : sa séquence propre si elle en a une, sinon la séquence commune */
  companyId?: string | null;
}

interface SequenceRow {
  id: string;
  prefix: string | null;
  suffix: string | null;
  padding: number;
  step: number;
  start: number;
  reset: 'never' | 'yearly' | 'monthly' | 'daily';
  mode: 'gapless' | 'fast';
}

const PERIOD_LENGTH = { never: 0, yearly: 4, monthly: 7, daily: 10 } as const;

/** `{YYYY}`, `{YY}`, `{MM}`, `{DD}` remplacés par les parties de la date. */
export function fillDateParts(template: string, date: string): string {
  return template.replace(/\{YYYY\}/g, date.slice(0, 4)).replace(/\{YY\}/g, date.slice(2, 4))
    .replace(/\{MM\}/g, date.slice(5, 7)).replace(/\{DD\}/g, date.slice(8, 10));
}

export function formatNumber(sequence: Pick<SequenceRow, 'prefix' | 'suffix' | 'padding'>, value: number | string, date: string): string {
  return `${fillDateParts(sequence.prefix ?? '', date)}${String(value).padStart(sequence.padding, '0')}${fillDateParts(sequence.suffix ?? '', date)}`;
}

/** Prochain numéro de la séquence `code` du tenant de la transaction. */
export async function nextNumber(trx: Tx, code: string, options: DrawOptions = {}): Promise<string> {
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const { rows } = await sql<SequenceRow>`SELECT id, prefix, suffix, padding, step, start, reset, mode FROM sequence
    WHERE code = ${code} AND deleted_at IS NULL AND (company IS NULL OR company = ${options.companyId ?? null}::uuid)
    ORDER BY company NULLS LAST LIMIT 1`.execute(trx);
  const sequence = rows[0];
  if (!sequence) throw new ProblemError(404, 'unknown_sequence', `No sequence "${code}"`);
  const period = date.slice(0, PERIOD_LENGTH[sequence.reset]);
  const value = sequence.mode === 'fast' ? await fastDraw(trx, sequence, period) : await gaplessDraw(trx, sequence, period);
  return formatNumber(sequence, value, date);
}

/** Compteur verrouillé jusqu'à la fin de la transaction : les tirages concurrents attendent, aucun numéro ne se perd. */
async function gaplessDraw(trx: Tx, sequence: SequenceRow, period: string): Promise<string> {
  const { rows } = await sql<{ value: string }>`INSERT INTO sequence_counter (tenant_id, sequence_id, period, value)
    VALUES (app_tenant(), ${sequence.id}, ${period}, ${sequence.start})
    ON CONFLICT (tenant_id, sequence_id, period) DO UPDATE SET value = sequence_counter.value + ${sequence.step}
    RETURNING value::text AS value`.execute(trx);
  return rows[0]!.value;
}

/**
 * Séquence PostgreSQL par séquence et par période : `nextval` n'attend personne et n'est pas annulé avec la
 * transaction (d'où les trous possibles). Créée au premier tirage de la période, sous verrou consultatif.
 */
async function fastDraw(trx: Tx, sequence: SequenceRow, period: string): Promise<string> {
  const name = `seq_${sequence.id.replace(/-/g, '')}_${period.replace(/-/g, '') || 'all'}`;
  const exists = await sql<{ found: string | null }>`SELECT to_regclass(${name})::text AS found`.execute(trx);
  if (!exists.rows[0]?.found) {
    await asOwner(trx, async () => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
      await sql.raw(`CREATE SEQUENCE IF NOT EXISTS ${pgIdent(name)} START WITH ${Math.trunc(sequence.start)} INCREMENT BY ${Math.trunc(sequence.step)} MINVALUE 0`).execute(trx);
      await sql.raw(`GRANT USAGE ON SEQUENCE ${pgIdent(name)} TO ${APP_ROLE}`).execute(trx);
    });
  }
  const { rows } = await sql<{ value: string }>`SELECT nextval(${name}::regclass)::text AS value`.execute(trx);
  return rows[0]!.value;
}
