// Complétion du mot suivant dans un texte long : modèle de trigrammes avec repli sur les bigrammes, appris des textes
// d'un champ dans tout le tenant. Un enchaînement n'est gardé que s'il paraît dans au moins `minRecords`
// enregistrements distincts : une tournure rare (donc propre à un enregistrement que d'autres ne lisent peut-être pas)
// n'est jamais proposée.
export interface NgramModel {
  /** contexte (« w1 w2 » ou « w2 ») → mot suivant → enregistrements où l'enchaînement paraît */
  next: Record<string, Record<string, number>>;
  /** mots connus pour compléter le mot en cours → enregistrements */
  words: Record<string, number>;
}

export interface Completion {
  text: string;
  score: number;
}

/** Mots suivants gardés par contexte. */
const MAX_NEXT = 6;
const MAX_WORDS = 5000;

const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];

export function trainNgram(texts: string[], minRecords: number, maxContexts = 20_000): NgramModel {
  const next = new Map<string, Map<string, number>>();
  const words = new Map<string, number>();
  const add = (context: string, word: string) => {
    const m = next.get(context) ?? new Map<string, number>();
    m.set(word, (m.get(word) ?? 0) + 1);
    next.set(context, m);
  };
  for (const text of texts) {
    // chaque enchaînement compte une fois par enregistrement (fréquence documentaire)
    const seen = new Set<string>();
    for (const sentence of text.split(/[.!?;\n]+/)) {
      const t = tokens(sentence);
      for (let i = 0; i < t.length; i += 1) {
        const w = t[i]!;
        if (!seen.has(`w|${w}`)) {
          seen.add(`w|${w}`);
          words.set(w, (words.get(w) ?? 0) + 1);
        }
        for (const context of [t[i - 1], i >= 2 ? `${t[i - 2]} ${t[i - 1]}` : undefined]) {
          if (context === undefined || seen.has(`${context}|${w}`)) continue;
          seen.add(`${context}|${w}`);
          add(context, w);
        }
      }
    }
  }
  const pruned: NgramModel['next'] = {};
  const kept = [...next.entries()]
    .map(([context, m]) => [context, [...m.entries()].filter(([, n]) => n >= minRecords).sort((a, b) => b[1] - a[1]).slice(0, MAX_NEXT)] as const)
    .filter(([, m]) => m.length > 0)
    .sort((a, b) => b[1][0]![1] - a[1][0]![1])
    .slice(0, maxContexts);
  for (const [context, m] of kept) pruned[context] = Object.fromEntries(m);
  const vocabulary = [...words.entries()].filter(([w, n]) => n >= minRecords && w.length > 2).sort((a, b) => b[1] - a[1]).slice(0, MAX_WORDS);
  return { next: pruned, words: Object.fromEntries(vocabulary) };
}

/** Candidats pour le mot suivant après ces mots (trigramme d'abord, puis bigramme). */
function candidates(model: NgramModel, previous: string[]): Array<[string, number]> {
  const scores = new Map<string, number>();
  const tri = previous.length >= 2 ? model.next[`${previous.at(-2)} ${previous.at(-1)}`] : undefined;
  const bi = previous.length >= 1 ? model.next[previous.at(-1)!] : undefined;
  for (const [w, n] of Object.entries(tri ?? {})) scores.set(w, (scores.get(w) ?? 0) + n * 3);
  for (const [w, n] of Object.entries(bi ?? {})) scores.set(w, (scores.get(w) ?? 0) + n);
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * Complétions du texte tapé : après une espace, les mots suivants probables (le premier prolongé de un ou deux mots
 * quand la suite est sûre) ; au milieu d'un mot, la fin des mots qui commencent ainsi. `text` de chaque complétion est
 * ce qu'il faut ajouter au texte.
 */
export function nextWords(model: NgramModel, text: string, limit = 3): Completion[] {
  const all = tokens(text.split(/[.!?;\n]/).at(-1) ?? '');
  const partial = /[\p{L}\p{N}]$/u.test(text) ? all.pop() ?? '' : '';
  let ranked = candidates(model, all);
  if (partial) {
    ranked = ranked.filter(([w]) => w.startsWith(partial) && w !== partial);
    if (!ranked.length) {
      ranked = Object.entries(model.words).filter(([w]) => w.startsWith(partial) && w !== partial).sort((a, b) => b[1] - a[1]);
    }
  }
  const total = ranked.reduce((s, [, n]) => s + n, 0) || 1;
  const space = !partial && text.length > 0 && !/\s$/.test(text) ? ' ' : '';
  return ranked.slice(0, limit).map(([w, n], i) => {
    let completion = partial ? w.slice(partial.length) : `${space}${w}`;
    if (i === 0) completion += extension(model, [...all, w]);
    return { text: completion, score: Math.round((n / total) * 1000) / 1000 };
  });
}

/** Un ou deux mots de plus quand un seul suivant domine nettement. */
function extension(model: NgramModel, words: string[]): string {
  let out = '';
  const seq = [...words];
  for (let k = 0; k < 2; k += 1) {
    const [first, second] = candidates(model, seq);
    if (!first || (second && second[1] * 2 > first[1])) break;
    out += ` ${first[0]}`;
    seq.push(first[0]);
  }
  return out;
}
