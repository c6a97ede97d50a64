// Arithmétique décimale exacte pour les montants et les quantités (jamais de flottants) : celle du cœur, prêtée aux
// modules et à l'interface.
import { Decimal } from 'decimal.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type DecimalValue = Decimal.Value;

/** Arrondi à `places` décimales, au plus proche, les demis vers le haut ; texte à nombre de décimales fixe. */
export function roundTo(value: DecimalValue, places: number): string {
  return new Dec(value).toFixed(places, Dec.ROUND_HALF_UP);
}
