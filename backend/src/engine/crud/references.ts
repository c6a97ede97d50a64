// Suppression refusée tant qu'un enregistrement vivant référence celui qu'on supprime (champ `ref`, ou `refs` par sa
// table de liaison) : la corbeille ne doit pas laisser de références pendantes. Une instruction, quel que soit le
// nombre d'entités qui référencent.
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';
import type { Locale } from '../../text/messages.js';
import { message } from '../../text/messages.js';
import type { EntityModel } from '../model.js';
import type { Catalog } from '../registry.js';
import { linkTable } from '../naming.js';

interface Referrer {
  label: string;
  exists: (id: string) => RawBuilder<unknown>;
}

const cache = new WeakMap<Catalog, Map<string, Referrer[]>>();

function referrersOf(catalog: Catalog, target: string): Referrer[] {
  let byTarget = cache.get(catalog);
  if (!byTarget) {
    byTarget = new Map();
    cache.set(catalog, byTarget);
  }
  let referrers = byTarget.get(target);
  if (referrers) return referrers;
  referrers = [];
  for (const model of catalog.all()) {
    for (const field of model.fields) {
      if (field.owner !== model.name || field.def.options?.to !== target) continue;
      const table = sql.table(model.table);
      const label = `${model.name}.${field.name}`;
      if (field.type === 'ref') {
        const column = sql.ref(field.column);
        referrers.push({ label, exists: (id) => sql`EXISTS (SELECT 1 FROM ${table} WHERE ${column} = ${id} AND deleted_at IS NULL)` });
      } else if (field.type === 'refs') {
        const link = sql.table(linkTable(model, field));
        referrers.push({ label, exists: (id) => sql`EXISTS (SELECT 1 FROM ${link} l JOIN ${table} s ON s.id = l.source_id
          WHERE l.target_id = ${id} AND s.deleted_at IS NULL)` });
      }
    }
  }
  byTarget.set(target, referrers);
  return referrers;
}

/** 409 `still_referenced` avec les champs qui référencent encore l'enregistrement. */
export async function assertNotReferenced(trx: Tx, catalog: Catalog, model: EntityModel, id: string, locale: Locale): Promise<void> {
  const referrers = referrersOf(catalog, model.name);
  if (!referrers.length) return;
  const checks = referrers.map((r, i) => sql`CASE WHEN ${r.exists(id)} THEN ${i} END`);
  const { rows } = await sql<{ found: (number | null)[] }>`SELECT ARRAY[${sql.join(checks)}] AS found`.execute(trx);
  const used = (rows[0]?.found ?? []).filter((i): i is number => i !== null).map((i) => referrers[i]!.label);
  if (!used.length) return;
  throw new ProblemError(409, 'still_referenced', `This record is still used by ${used.join(', ')}`,
    used.map((label) => ({ field: label, code: 'still_referenced', message: message(locale, 'still_referenced', { by: label }) })));
}
