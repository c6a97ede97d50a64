// Scores z robustes (Iglewicz et Hoaglin) : écart à la médiane rapporté à l'écart absolu médian (MAD), insensibles
// aux valeurs aberrantes qu'ils doivent justement repérer. Une série strictement positive (montants, plafonds,
// quantités) est lue en logarithme : « 10 fois la valeur habituelle » pèse autant au-dessus qu'en dessous.

export interface Baseline {
  /** médiane et MAD sur l'échelle choisie */
  median: number;
  mad: number;
  scale: 'log' | 'linear';
  /** valeur habituelle (médiane des valeurs brutes) */
  typical: number;
  n: number;
}

export interface Score {
  /** score z robuste (0,6745 · écart / MAD), signé */
  z: number;
  /** valeur rapportée à la valeur habituelle ; null si celle-ci est nulle */
  ratio: number | null;
}

/** Plafond d'un score : une valeur différente d'une référence sans dispersion est « infiniment » atypique. */
export const MAX_SCORE = 999;

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ascending = (values: number[]) => [...values].sort((a, b) => a - b);

/** Référence d'un champ ; undefined sans valeur. */
export function learnBaseline(values: number[]): Baseline | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const scale = finite.every((v) => v > 0) ? 'log' : 'linear';
  const scaled = ascending(scale === 'log' ? finite.map(Math.log) : finite);
  const center = median(scaled);
  let mad = median(ascending(scaled.map((v) => Math.abs(v - center))));
  // plus de la moitié des valeurs identiques : repli sur l'écart absolu moyen (mis à l'échelle d'une loi normale)
  if (mad === 0) mad = (scaled.reduce((s, v) => s + Math.abs(v - center), 0) / scaled.length) * 1.2533 / 1.4826;
  return { median: center, mad, scale, typical: median(ascending(finite)), n: finite.length };
}

export function scoreValue(baseline: Baseline, value: number): Score {
  const x = baseline.scale === 'log' ? (value > 0 ? Math.log(value) : -Infinity) : value;
  const deviation = x - baseline.median;
  let z = baseline.mad > 0 ? (0.6745 * deviation) / baseline.mad : deviation === 0 ? 0 : Math.sign(deviation) * MAX_SCORE;
  if (!Number.isFinite(z) || Math.abs(z) > MAX_SCORE) z = Math.sign(z || -1) * MAX_SCORE;
  return { z, ratio: baseline.typical !== 0 ? value / baseline.typical : null };
}
