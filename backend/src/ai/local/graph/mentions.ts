// Mentions entre enregistrements tirées des analyses de texte (ai_text_analysis, pipeline NLP) : un champ de texte d'un
// enregistrement qui cite un tiers ou un enregistrement reconnu relie les deux. Lues dans la transaction du tenant
// (RLS) ; le walker relit ensuite chaque extrémité comme l'utilisateur.
import { sql } from 'kysely';
import type { Tx } from '../../../db/transaction.js';

export interface Mention {
  /** enregistrement dont le texte cite */
  entity: string;
  recordId: string;
  field: string;
  /** enregistrement cité */
  targetEntity: string;
  targetId: string;
}

/** Mentions qui partent des enregistrements `ids` ou qui les visent. */
export async function mentionsAround(trx: Tx, ids: string[]): Promise<Mention[]> {
  if (!ids.length) return [];
  const { rows } = await sql<Mention>`
    SELECT a.entity, a.record_id::text AS "recordId", a.field, m.value->'match'->>'entity' AS "targetEntity", lower(m.value->'match'->>'id') AS "targetId"
    FROM ai_text_analysis a CROSS JOIN LATERAL jsonb_array_elements(a.entities) AS m(value)
    WHERE jsonb_typeof(m.value->'match') = 'object'
      AND (a.record_id = ANY(${ids}::uuid[]) OR lower(m.value->'match'->>'id') = ANY(${ids}::text[]))
    ORDER BY a.entity, a.record_id, a.field`.execute(trx);
  return rows;
}
