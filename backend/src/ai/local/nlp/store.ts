// Analyses stockées (table ai_text_analysis), lues et écrites dans une transaction du tenant.
import { sql } from 'kysely';
import type { Tx } from '../../../db/transaction.js';
import type { TextAnalysis } from './analyse.js';

export interface StoredAnalysis extends TextAnalysis {
  field: string;
  textHash: string;
  analysedAt: string;
}

export async function readAnalyses(trx: Tx, entity: string, recordId: string): Promise<StoredAnalysis[]> {
  const { rows } = await sql<{ field: string; language: string; score: number; label: string; keywords: string[]; entities: TextAnalysis['entities']; textHash: string; analysedAt: Date }>`
    SELECT field, language, sentiment_score AS score, sentiment_label AS label, keywords, entities, text_hash AS "textHash", analysed_at AS "analysedAt"
    FROM ai_text_analysis WHERE entity = ${entity} AND record_id = ${recordId} ORDER BY field`.execute(trx);
  return rows.map((r) => ({
    field: r.field, language: r.language as TextAnalysis['language'], sentiment: { score: Number(r.score), label: r.label as TextAnalysis['sentiment']['label'] },
    keywords: r.keywords, entities: r.entities, textHash: r.textHash, analysedAt: new Date(r.analysedAt).toISOString(),
  }));
}

export async function writeAnalysis(trx: Tx, entity: string, recordId: string, field: string, textHash: string, a: TextAnalysis): Promise<void> {
  await sql`
    INSERT INTO ai_text_analysis (tenant_id, entity, record_id, field, language, sentiment_score, sentiment_label, keywords, entities, text_hash, analysed_at)
    VALUES (current_setting('app.tenant_id')::uuid, ${entity}, ${recordId}, ${field}, ${a.language}, ${a.sentiment.score}, ${a.sentiment.label},
      ${JSON.stringify(a.keywords)}::jsonb, ${JSON.stringify(a.entities)}::jsonb, ${textHash}, now())
    ON CONFLICT (tenant_id, entity, record_id, field) DO UPDATE SET language = EXCLUDED.language, sentiment_score = EXCLUDED.sentiment_score,
      sentiment_label = EXCLUDED.sentiment_label, keywords = EXCLUDED.keywords, entities = EXCLUDED.entities, text_hash = EXCLUDED.text_hash,
      analysed_at = EXCLUDED.analysed_at`.execute(trx);
}

/** Texte vidé : l'analyse de ce champ n'a plus lieu d'être. */
export async function deleteAnalysis(trx: Tx, entity: string, recordId: string, field: string): Promise<void> {
  await sql`DELETE FROM ai_text_analysis WHERE entity = ${entity} AND record_id = ${recordId} AND field = ${field}`.execute(trx);
}
