// Modèles de la prédiction de saisie dans ai_local_model : habitudes par utilisateur et champ (`habits`,
// portée `<utilisateur>:<entité>.<champ>`), enchaînements de mots par champ (`ngram`, portée `<entité>.<champ>`).
import { sql } from 'kysely';
import type { Tx } from '../../../db/transaction.js';

export const HABITS = 'habits';
export const NGRAM = 'ngram';

export const habitScope = (userId: string, entity: string, field: string) => `${userId}:${entity}.${field}`;
export const ngramScope = (entity: string, field: string) => `${entity}.${field}`;

/** Efface les habitudes d'un utilisateur (il a coupé l'apprentissage). */
export async function deleteUserHabits(trx: Tx, userId: string): Promise<number> {
  const result = await sql`DELETE FROM ai_local_model WHERE kind = ${HABITS} AND scope LIKE ${`${userId}:%`}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
