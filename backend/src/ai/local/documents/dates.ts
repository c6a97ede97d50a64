// Dates écrites en français ou en anglais : 14/03/2026, 14.03.2026, 2026-03-14, 14 mars 2026, March 14, 2026,
// 14th March 2026 → ISO (AAAA-MM-JJ). Un 03/04/2026 ambigu se lit jour/mois (usage européen), confiance moindre.
const MONTHS: Record<string, number> = {
  janvier: 1, janv: 1, jan: 1, january: 1, février: 2, fevrier: 2, févr: 2, fev: 2, feb: 2, february: 2, mars: 3, mar: 3, march: 3,
  avril: 4, avr: 4, apr: 4, april: 4, mai: 5, may: 5, juin: 6, jun: 6, june: 6, juillet: 7, juil: 7, jul: 7, july: 7,
  août: 8, aout: 8, aug: 8, august: 8, septembre: 9, sept: 9, sep: 9, september: 9, octobre: 10, oct: 10, october: 10,
  novembre: 11, nov: 11, november: 11, décembre: 12, decembre: 12, déc: 12, dec: 12, december: 12,
};
const MONTH = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

export interface FoundDate {
  iso: string;
  /** 1 : sans ambiguïté ; moins : jour et mois interchangeables */
  certainty: number;
  index: number;
}

const iso = (y: number, m: number, d: number): string | undefined => {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
};
const year = (raw: string) => (raw.length === 2 ? 2000 + Number(raw) : Number(raw));

const PATTERNS: { re: RegExp; read: (m: RegExpMatchArray) => { y: number; m: number; d: number; certainty: number } | undefined }[] = [
  { re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: (m) => ({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), certainty: 1 }) },
  {
    re: /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/g,
    read: (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12) return { y: year(m[3]!), m: b, d: a, certainty: 1 };
      if (b > 12) return { y: year(m[3]!), m: a, d: b, certainty: 0.9 };
      return { y: year(m[3]!), m: b, d: a, certainty: a === b ? 1 : 0.85 };
    },
  },
  { re: new RegExp(`\\b(\\d{1,2})(?:er|st|nd|rd|th)?\\.?\\s+(${MONTH})\\.?,?\\s+(\\d{4})\\b`, 'giu'), read: (m) => ({ y: Number(m[3]), m: MONTHS[m[2]!.toLowerCase()]!, d: Number(m[1]), certainty: 1 }) },
  { re: new RegExp(`\\b(${MONTH})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'giu'), read: (m) => ({ y: Number(m[3]), m: MONTHS[m[1]!.toLowerCase()]!, d: Number(m[2]), certainty: 1 }) },
];

/** Les dates d'une ligne, dans l'ordre. */
export function datesIn(line: string): FoundDate[] {
  const out: FoundDate[] = [];
  for (const { re, read } of PATTERNS) {
    for (const match of line.matchAll(re)) {
      const parts = read(match);
      const value = parts && parts.y >= 1990 && parts.y <= 2100 ? iso(parts.y, parts.m, parts.d) : undefined;
      if (value && !out.some((d) => Math.abs(d.index - match.index) < 3)) out.push({ iso: value, certainty: parts!.certainty, index: match.index });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}
