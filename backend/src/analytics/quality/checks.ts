// Évaluation d'une règle de qualité en SQL sur les enregistrements vivants d'une entité : nombre contrôlé, nombre en
// défaut et les premiers identifiants en défaut. Les chemins passent par le PathResolver du moteur (comme les listes) ;
// les valeurs de la règle sont des paramètres, jamais du texte SQL.
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { ResolvedPath } from '../../engine/filter/types.js';
import type { EntityModel } from '../../engine/model.js';
import { aliveSql, fromChain } from '../../engine/query/projection.js';
import { PathResolver } from '../../engine/query/resolver.js';
import type { Catalog } from '../../engine/registry.js';
import type { QualityKind } from './entities.js';

export interface QualityRuleRow {
  id: string;
  name: string;
  entity: string;
  field: string | null;
  kind: QualityKind;
  pattern: string | null;
  min: string | null;
  max: string | null;
  max_age_days: number | null;
  similarity: string | null;
  min_score: string | null;
  last_score: string | null;
}

export interface QualityOutcome {
  checked: number;
  failed: number;
  offending: string[];
}

/** Règle qui ne s'évalue pas : la raison est gardée sur le contrôle. */
export class QualityRuleError extends Error {}

const SAMPLE = 100;
const NUMERIC_OR_DATE = new Set(['integer', 'decimal', 'date', 'datetime']);
const TEMPORAL = new Set(['date', 'datetime']);

export async function evaluateRule(trx: Tx, model: EntityModel, catalog: Catalog, rule: QualityRuleRow, maxFuzzyRows: number): Promise<QualityOutcome> {
  const resolver = new PathResolver(model, catalog);
  const path = (name: string | null, fallback?: string): ResolvedPath => {
    const field = name ?? fallback;
    if (!field) throw new QualityRuleError('This check needs a field');
    try {
      return resolver.resolveTrusted(field);
    } catch {
      throw new QualityRuleError(`Unknown field "${field}" on ${model.name}`);
    }
  };
  const from = () => sql`${fromChain(model)}${resolver.joinSql()}`;
  const living = aliveSql(model);

  if (rule.kind === 'freshness') {
    const p = path(rule.field, 'updatedAt');
    if (!TEMPORAL.has(p.kind)) throw new QualityRuleError(`${rule.field} is not a date or date-time field`);
    const days = rule.max_age_days ?? 1;
    const { rows } = await sql<{ stale: boolean | null }>`
      SELECT max(${p.expr})::timestamptz < now() - make_interval(days => ${days}::int) AS stale FROM ${from()} WHERE ${living}`.execute(trx);
    return { checked: 1, failed: rows[0]?.stale === false ? 0 : 1, offending: [] };
  }
  if (rule.kind === 'duplicates') return duplicates(trx, path(rule.field), from, living, Number(rule.similarity ?? 0.8), maxFuzzyRows);
  if (rule.kind === 'uniqueness') {
    const p = path(rule.field);
    const rows = sql`SELECT t0.id, ${p.expr} AS v, count(*) OVER (PARTITION BY ${p.expr}) AS n FROM ${from()} WHERE ${living}`;
    return counted(trx, sql`(${rows}) AS x`, sql`x.v IS NOT NULL AND x.n > 1`, sql`x.id`, await alive(trx, from(), living));
  }
  const fails = await failing(trx, rule, path(rule.field), catalog);
  return counted(trx, from(), sql`${living} AND ${fails}`, sql`t0.id`, await alive(trx, from(), living));
}

/** Condition « en défaut » d'une règle ligne à ligne. */
async function failing(trx: Tx, rule: QualityRuleRow, p: ResolvedPath, catalog: Catalog): Promise<RawBuilder<unknown>> {
  switch (rule.kind) {
    case 'completeness':
      return p.kind === 'tags' ? sql`(${p.expr} IS NULL OR cardinality(${p.expr}) = 0)` : sql`(${p.expr} IS NULL OR (${p.expr})::text = '')`;
    case 'pattern': {
      if (!rule.pattern) throw new QualityRuleError('A pattern check needs a regular expression');
      // motif vérifié par PostgreSQL lui-même (sa syntaxe d'expressions régulières) ; l'erreur annule la transaction
      // de cette règle seule (une par règle)
      await sql`SELECT '' ~ ${rule.pattern}`.execute(trx).catch(() => {
        throw new QualityRuleError(`Invalid regular expression: ${rule.pattern}`);
      });
      return sql`(${p.expr} IS NOT NULL AND NOT ((${p.expr})::text ~ ${rule.pattern}))`;
    }
    case 'range': {
      if (!NUMERIC_OR_DATE.has(p.kind)) throw new QualityRuleError(`${rule.field} is neither a number nor a date`);
      if (rule.min === null && rule.max === null) throw new QualityRuleError('A range check needs a minimum or a maximum');
      const bounds = [
        ...(rule.min !== null ? [sql`(${p.expr})::numeric < ${rule.min}::numeric`] : []),
        ...(rule.max !== null ? [sql`(${p.expr})::numeric > ${rule.max}::numeric`] : []),
      ];
      return sql`(${p.expr} IS NOT NULL AND (${sql.join(bounds, sql` OR `)}))`;
    }
    case 'referential': {
      if (p.kind !== 'uuid' || p.fieldType !== 'ref') throw new QualityRuleError(`${rule.field} is not a reference`);
      const field = rule.field!.split('.').at(-1)!;
      const owner = catalog.get(rule.entity);
      const target = catalog.get(owner?.byName.get(field)?.def.options?.to ?? '');
      if (!target) throw new QualityRuleError(`${rule.field} is not a reference of ${rule.entity}`);
      return sql`(${p.expr} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${sql.table(target.chain[0]!.table)} AS r WHERE r.id = ${p.expr} AND r.tenant_id = t0.tenant_id AND r.deleted_at IS NULL))`;
    }
    default:
      throw new QualityRuleError(`Unknown check ${rule.kind}`);
  }
}

/** Compte contrôlé, compte en défaut et premiers identifiants en défaut (`where` : condition complète du défaut). */
async function counted(trx: Tx, source: RawBuilder<unknown>, where: RawBuilder<unknown>, id: RawBuilder<unknown>, checked: number): Promise<QualityOutcome> {
  const bad = await sql<{ id: string; n: number }>`
    SELECT ${id}::text AS id, count(*) OVER ()::int AS n FROM ${source} WHERE ${where} ORDER BY 1 LIMIT ${SAMPLE}`.execute(trx);
  return { checked, failed: bad.rows[0]?.n ?? 0, offending: bad.rows.map((r) => r.id) };
}

/** Enregistrements vivants de l'entité. */
async function alive(trx: Tx, from: RawBuilder<unknown>, condition: RawBuilder<unknown>): Promise<number> {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${from} WHERE ${condition}`.execute(trx)).rows[0]?.n ?? 0;
}

/** Quasi-doublons : paires dont la similarité (trigrammes) dépasse le seuil, sur au plus `maxRows` enregistrements. */
async function duplicates(
  trx: Tx, p: ResolvedPath, from: () => RawBuilder<unknown>, living: RawBuilder<unknown>, threshold: number, maxRows: number,
): Promise<QualityOutcome> {
  if (p.kind !== 'string') throw new QualityRuleError('Near duplicates are looked for in text fields');
  const rows = sql`SELECT t0.id, lower((${p.expr})::text) AS v FROM ${from()} WHERE ${living} AND ${p.expr} IS NOT NULL ORDER BY t0.id LIMIT ${maxRows}`;
  const { rows: pairs } = await sql<{ a: string; b: string }>`
    WITH s AS MATERIALIZED (${rows})
    SELECT a.id::text AS a, b.id::text AS b FROM s a JOIN s b ON a.id < b.id AND similarity(a.v, b.v) >= ${threshold}::real`.execute(trx);
  const ids = [...new Set(pairs.flatMap((pair) => [pair.a, pair.b]))].sort();
  return { checked: await alive(trx, from(), living), failed: ids.length, offending: ids.slice(0, SAMPLE) };
}
