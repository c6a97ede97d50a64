// Prévision d'une série régulière : variante de Holt-Winters choisie, points futurs avec leurs bornes de confiance,
// erreur rétrospective. Fonction pure, sans base ni réseau : la route, l'outil et les tests l'emploient.
import { rollingOriginMape, type Backtest } from './backtest.js';
import { fitBest, predict, variantName } from './holt-winters.js';

export const CONFIDENCE_LEVELS = [0.8, 0.95] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];
const Z: Record<ConfidenceLevel, number> = { 0.8: 1.2816, 0.95: 1.96 };

export interface ForecastPoint {
  value: number;
  lower: number;
  upper: number;
}

export interface SeriesForecast {
  points: ForecastPoint[];
  model: { name: string; params: Record<string, number | boolean> };
  backtest: Backtest;
}

/** Prévoit `horizon` points après `values` (saison : longueur du cycle attendu, 0 sans cycle). */
export function forecastValues(values: number[], options: { horizon: number; season: number; confidence: ConfidenceLevel }): SeriesForecast {
  const model = fitBest(values, options.season);
  const z = Z[options.confidence];
  const points = predict(model, options.horizon).map((p) => ({ value: p.value, lower: p.value - z * p.sd, upper: p.value + z * p.sd }));
  // au moins deux saisons (ou quelques points) d'apprentissage pour chaque origine
  const minTrain = Math.max(4, model.params.season ? 2 * model.params.season : Math.ceil(values.length / 2));
  const backtest = rollingOriginMape(values, model, options.horizon, Math.min(minTrain, values.length - 1));
  const { alpha, beta, gamma, phi, season, trend } = model.params;
  return { points, model: { name: variantName(model.params), params: { alpha, beta, gamma, phi, season, trend } }, backtest };
}
