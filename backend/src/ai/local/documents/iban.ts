// IBAN : repérage dans le texte et contrôle de la clé (ISO 13616, modulo 97) ; une lecture d'OCR fautive courante
// (O pour 0, I ou l pour 1) est corrigée si la clé devient juste.
const CANDIDATE = /\b([A-Z]{2}\s?\d{2}(?:\s?[A-Z0-9]{2,4}){3,8})\b/g;

/** Longueur de l'IBAN des pays les plus courants. */
const LENGTHS: Record<string, number> = {
  FR: 27, MC: 27, DE: 22, GB: 22, IE: 22, BE: 16, NL: 18, LU: 20, CH: 21, AT: 20, ES: 24, PT: 25, IT: 27, PL: 28, SE: 24, DK: 18,
};

/** Clé modulo 97 juste ? */
export function validIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  const digits = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

export interface FoundIban { iban: string; valid: boolean }

/** Premier IBAN valide du texte (sinon le premier candidat, signalé invalide). */
export function findIban(text: string): FoundIban | undefined {
  let fallback: FoundIban | undefined;
  for (const line of text.split('\n')) {
    const hinted = /iban/i.test(line);
    for (const match of line.toUpperCase().matchAll(CANDIDATE)) {
      const raw = match[1]!.replace(/\s/g, '');
      for (const candidate of [raw, raw.slice(0, 4) + raw.slice(4).replace(/O/g, '0').replace(/[IL]/g, '1')]) {
        // un IBAN collé à la suite de la ligne : coupé à la longueur du pays quand on la connaît
        const length = LENGTHS[candidate.slice(0, 2)] ?? candidate.length;
        if (validIban(candidate.slice(0, length))) return { iban: candidate.slice(0, length), valid: true };
      }
      if (hinted && !fallback) fallback = { iban: raw, valid: false };
    }
  }
  return fallback;
}
