// Erreur rétrospective à origine glissante : pour chacune des dernières origines, la variante retenue est réajustée
// sur le passé seul, puis ses prévisions sont comparées aux valeurs réelles jusqu'à l'horizon demandé (MAPE, en %).
// Les valeurs réelles nulles sont écartées (pourcentage indéfini).
import { predict, refit, type FittedModel } from './holt-winters.js';

export interface Backtest {
  /** erreur absolue moyenne en pourcentage ; null si aucune valeur ne s'y prête */
  mape: number | null;
  origins: number;
  points: number;
}

/** Au plus `maxOrigins` origines, chacune laissant au moins `minTrain` points pour l'ajustement. */
export function rollingOriginMape(y: number[], model: FittedModel, horizon: number, minTrain: number, maxOrigins = 12): Backtest {
  const first = Math.max(minTrain, y.length - maxOrigins);
  let sum = 0;
  let points = 0;
  let origins = 0;
  for (let origin = first; origin < y.length; origin++) {
    const fitted = refit(y.slice(0, origin), model);
    const steps = Math.min(horizon, y.length - origin);
    predict(fitted, steps).forEach((p, i) => {
      const actual = y[origin + i]!;
      if (actual === 0) return;
      sum += Math.abs((actual - p.value) / actual);
      points++;
    });
    origins++;
  }
  return { mape: points ? (100 * sum) / points : null, origins, points };
}
