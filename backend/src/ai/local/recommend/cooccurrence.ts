// Articles achetés ensemble : co-occurrences dans les paniers, gardées par article (les plus fréquentes), classées par
// similarité cosinus ; confiance et lift rendus pour l'explication. Fonctions pures (apprentissage et requêtes).

export interface CooccurrenceModel {
  baskets: number;
  /** paniers qui contiennent l'article */
  counts: Record<string, number>;
  /** voisins de chaque article : [article, paniers communs], les plus fréquents d'abord */
  neighbours: Record<string, [string, number][]>;
}

export interface ItemScore {
  item: string;
  score: number;
  /** P(article | articles donnés) pour un seul article donné ; sinon la moyenne */
  confidence: number;
  lift: number;
}

/** Voisins gardés par article (borne la taille du modèle). */
export const NEIGHBOURS_KEPT = 50;

export function trainCooccurrence(baskets: Iterable<Iterable<string>>): CooccurrenceModel {
  const counts = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  let total = 0;
  for (const basket of baskets) {
    const items = [...new Set(basket)];
    if (items.length === 0) continue;
    total += 1;
    for (const a of items) {
      counts.set(a, (counts.get(a) ?? 0) + 1);
      let row = pairs.get(a);
      if (!row) pairs.set(a, (row = new Map()));
      for (const b of items) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const neighbours: Record<string, [string, number][]> = {};
  for (const [a, row] of pairs) {
    if (row.size) neighbours[a] = [...row].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, NEIGHBOURS_KEPT);
  }
  return { baskets: total, counts: Object.fromEntries(counts), neighbours };
}

/** Articles à proposer avec ceux donnés (panier en cours, historique d'un client), sans eux. */
export function recommend(model: CooccurrenceModel, given: Iterable<string>, limit: number): ItemScore[] {
  const have = new Set(given);
  const scores = new Map<string, { score: number; confidence: number; lift: number; n: number }>();
  for (const a of have) {
    const countA = model.counts[a];
    if (!countA) continue;
    for (const [b, together] of model.neighbours[a] ?? []) {
      if (have.has(b)) continue;
      const countB = model.counts[b] ?? together;
      const confidence = together / countA;
      const entry = scores.get(b) ?? { score: 0, confidence: 0, lift: 0, n: 0 };
      entry.score += together / Math.sqrt(countA * countB);
      entry.confidence += confidence;
      entry.lift += confidence / (countB / model.baskets);
      entry.n += 1;
      scores.set(b, entry);
    }
  }
  return [...scores]
    .map(([item, s]) => ({ item, score: round(s.score), confidence: round(s.confidence / s.n), lift: round(s.lift / s.n) }))
    .sort((x, y) => y.score - x.score || x.item.localeCompare(y.item))
    .slice(0, limit);
}

const round = (value: number) => Math.round(value * 1000) / 1000;
