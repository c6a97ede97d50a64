// Masquage des données personnelles dans le journal des requêtes d'IA : adresses e-mail, IBAN, numéros de carte
// (contrôle de Luhn) et de téléphone. Le texte envoyé au fournisseur n'est pas touché ; seul le journal l'est.
import { mapStrings } from '../text/map-strings.js';
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\d[\d .\-()]{7,22}\d(?![\p{L}\p{N}])/gu;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Une suite de chiffres : carte si 13 à 19 chiffres valides au contrôle de Luhn, téléphone si 9 à 15 chiffres. */
function maskDigits(run: string): string {
  const digits = run.replace(/\D/g, '');
  if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) return '[card]';
  if (digits.length >= 9 && digits.length <= 15 && !/^\d{4}-\d{2}-\d{2}/.test(run)) return '[phone]';
  return run;
}

export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(IBAN, '[iban]').replace(DIGIT_RUN, maskDigits);
}

/** Chaque texte d'une valeur JSON masqué (la structure reste valide). */
export function redactDeep(value: unknown): unknown {
  return mapStrings(value, redactPersonalData);
}
