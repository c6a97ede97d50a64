// Similarité de fiches par TF-IDF : chaque fiche devient un sac de jetons (mots de ses textes, attributs
// `champ=valeur`, articles achetés), pondérés par leur rareté dans le corpus ; on compare par cosinus. Fonctions pures.

export type Tokens = Map<string, number>;

export interface Neighbour {
  id: string;
  score: number;
  /** jetons partagés les plus lourds (explication) */
  shared: string[];
}

/** Mots d'un texte : minuscules, sans accents, deux caractères au moins. */
export function words(text: string): string[] {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
}

export function addToken(tokens: Tokens, token: string, weight = 1): void {
  tokens.set(token, (tokens.get(token) ?? 0) + weight);
}

/** Vecteurs TF-IDF normés (tf sous-linéaire) d'un corpus. */
function vectors(corpus: Map<string, Tokens>): Map<string, Map<string, number>> {
  const df = new Map<string, number>();
  for (const tokens of corpus.values()) for (const token of tokens.keys()) df.set(token, (df.get(token) ?? 0) + 1);
  const n = corpus.size;
  const result = new Map<string, Map<string, number>>();
  for (const [id, tokens] of corpus) {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [token, tf] of tokens) {
      const weight = (1 + Math.log(tf)) * Math.log((1 + n) / (1 + df.get(token)!)) ;
      if (weight <= 0) continue;
      vector.set(token, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [token, weight] of vector) vector.set(token, weight / norm);
    result.set(id, vector);
  }
  return result;
}

/** Les fiches du corpus les plus proches de `id` (lui exclu), score > 0. */
export function nearest(corpus: Map<string, Tokens>, id: string, limit: number): Neighbour[] {
  const all = vectors(corpus);
  const target = all.get(id);
  if (!target) return [];
  const found: Neighbour[] = [];
  for (const [other, vector] of all) {
    if (other === id) continue;
    let score = 0;
    const shared: [string, number][] = [];
    for (const [token, weight] of target) {
      const w = vector.get(token);
      if (w === undefined) continue;
      score += weight * w;
      shared.push([token, weight * w]);
    }
    if (score > 0) found.push({ id: other, score: Math.round(score * 1000) / 1000, shared: shared.sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t]) => t) });
  }
  return found.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
}
