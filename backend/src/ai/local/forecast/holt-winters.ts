// Lissage exponentiel de Holt-Winters sous sa forme « correction d'erreur » (ETS additif : niveau, tendance amortie
// ou non, saison additive ou absente). Les paramètres sont choisis par une grille sur l'erreur quadratique des
// prévisions à un pas, la variante par le critère d'Akaike ; les intervalles suivent la variance analytique de la
// classe ETS(A,Ad,A) (Hyndman et al., « Forecasting with Exponential Smoothing », chap. 6).

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** longueur de la saison (0 : sans saison) */
  season: number;
  /** sans tendance : beta = 0 et phi = 0 */
  trend: boolean;
}

export interface FittedModel {
  params: HoltWintersParams;
  level: number;
  slope: number;
  /** les `season` derniers indices saisonniers, dans l'ordre du temps */
  seasonals: number[];
  /** variance des erreurs à un pas */
  sigma2: number;
  aic: number;
  n: number;
}

export interface PointForecast {
  value: number;
  /** écart type de l'erreur de prévision à cet horizon */
  sd: number;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99];
const BETAS = [0, 0.01, 0.05, 0.1, 0.2];
const GAMMAS = [0, 0.01, 0.05, 0.1, 0.2, 0.3];
const PHIS = [0.8, 0.9, 0.98, 1];

interface State {
  level: number;
  slope: number;
  seasonals: number[];
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** État initial : moyenne de la première saison, pente entre les deux premières, écarts saisonniers de la première. */
function initialState(y: number[], season: number, trend: boolean): State {
  if (season > 0) {
    const first = mean(y.slice(0, season));
    const second = y.length >= 2 * season ? mean(y.slice(season, 2 * season)) : first;
    return { level: first, slope: trend ? (second - first) / season : 0, seasonals: y.slice(0, season).map((v) => v - first) };
  }
  return { level: y[0]!, slope: trend && y.length > 1 ? y[1]! - y[0]! : 0, seasonals: [] };
}

/** Passe du filtre sur la série : somme des carrés des erreurs à un pas et état final. */
function run(y: number[], p: HoltWintersParams): { sse: number; state: State } {
  const init = initialState(y, p.season, p.trend);
  let { level, slope } = init;
  const seasonals = [...init.seasonals];
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = p.season ? seasonals[t % p.season]! : 0;
    const predicted = level + p.phi * slope + s;
    const error = y[t]! - predicted;
    sse += error * error;
    level = level + p.phi * slope + p.alpha * error;
    slope = p.phi * slope + p.beta * error;
    if (p.season) seasonals[t % p.season] = s + p.gamma * error;
  }
  // indices saisonniers remis dans l'ordre du temps : le prochain point prend le premier
  const rotated = p.season ? seasonals.map((_, i) => seasonals[(y.length + i) % p.season]!) : [];
  return { sse, state: { level, slope, seasonals: rotated } };
}

/** Ajuste une variante (saison, tendance) par une grille de paramètres admissibles (beta ≤ alpha, gamma ≤ 1 − alpha). */
export function fitVariant(y: number[], season: number, trend: boolean): FittedModel {
  let best: { sse: number; params: HoltWintersParams; state: State } | undefined;
  for (const alpha of ALPHAS) {
    for (const beta of trend ? BETAS.filter((b) => b <= alpha) : [0]) {
      for (const gamma of season ? GAMMAS.filter((g) => g <= 1 - alpha) : [0]) {
        for (const phi of trend ? PHIS : [0]) {
          const params = { alpha, beta, gamma, phi, season, trend };
          const { sse, state } = run(y, params);
          if (Number.isFinite(sse) && (!best || sse < best.sse)) best = { sse, params, state };
        }
      }
    }
  }
  const { sse, params, state } = best!;
  const n = y.length;
  // paramètres estimés : lissages, amortissement, états initiaux
  const k = 1 + (trend ? 3 : 0) + (season ? season : 0);
  const sigma2 = sse / Math.max(1, n - k);
  const aic = n * Math.log(Math.max(sse, 1e-12) / n) + 2 * k;
  return { params, level: state.level, slope: state.slope, seasonals: state.seasonals, sigma2, aic, n };
}

/** Variantes essayées : avec et sans saison (si au moins deux saisons complètes), avec et sans tendance. */
export function fitBest(y: number[], season: number): FittedModel {
  const seasons = season > 1 && y.length >= 2 * season ? [season, 0] : [0];
  const fits = seasons.flatMap((s) => [fitVariant(y, s, true), fitVariant(y, s, false)]);
  return fits.reduce((a, b) => (b.aic < a.aic ? b : a));
}

/** Refait l'ajustement de la même variante sur une autre série (validation à origine glissante). */
export const refit = (y: number[], model: FittedModel): FittedModel => fitVariant(y, model.params.season, model.params.trend);

/** Prévisions sur `horizon` pas, avec l'écart type de l'erreur cumulée à chaque pas. */
export function predict(model: FittedModel, horizon: number): PointForecast[] {
  const { alpha, beta, gamma, phi, season } = model.params;
  const out: PointForecast[] = [];
  let damped = 0; // phi + phi² + … + phi^h
  let variance = 0; // somme des c_j² pour j < h
  for (let h = 1; h <= horizon; h++) {
    damped += phi ** h;
    const s = season ? model.seasonals[(h - 1) % season]! : 0;
    out.push({ value: model.level + damped * model.slope + s, sd: Math.sqrt(model.sigma2 * (1 + variance)) });
    const c = alpha + beta * damped + (season && h % season === 0 ? gamma : 0);
    variance += c * c;
  }
  return out;
}

/** Nom lisible de la variante. */
export function variantName(params: HoltWintersParams): string {
  const trend = params.trend ? (params.phi < 1 ? 'damped-trend' : 'trend') : 'no-trend';
  return `holt-winters(${trend}${params.season ? `, seasonal ${params.season}` : ''})`;
}
