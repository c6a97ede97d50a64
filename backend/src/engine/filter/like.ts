// LIKE / ILIKE en mémoire, avec la sémantique de PostgreSQL : `%` = toute suite (vide comprise), `_` = un caractère,
// `\x` = x littéral (échappement par défaut) ; comparaison par points de code. ILIKE compare les minuscules des deux
// côtés, caractère par caractère (casse simple, comme la collation intégrée "pg_c_utf8" : 'İ' → 'i', 'Σ' → 'σ' même
// en fin de mot).
//
// Pas d'expression régulière : un motif hostile (`%a%a%a…b`) fait reculer un moteur à retour arrière en temps
// polynomial de degré le nombre de `%`. Le motif devient un automate non déterministe simulé en parallèle sur les bits
// (Shift-And) : un passage sur la chaîne, ⌈(jetons + 1) / 32⌉ mots par caractère, soit au plus 32 pour un motif de
// 1 000 caractères (FILTER_LIMITS.maxStringLength).

/** Automate d'un motif : l'état i (bit i) = les i premiers jetons (caractère ou `_`) reconnus. */
interface LikeAutomaton {
  words: number;
  /** états où un `%` laisse consommer n'importe quel caractère sans avancer */
  loops: Uint32Array;
  /** jetons `_` : ils acceptent tout caractère */
  any: Uint32Array;
  /** par point de code : jetons qui l'acceptent (`_` compris) */
  byChar: Map<number, Uint32Array>;
  accept: { word: number; bit: number };
}

// motifs LIKE compilés gardés : borne mémoire du cache, sans effet sur le résultat
const CACHE_LIMIT = 500;
const cache = new Map<string, LikeAutomaton>();

/** Le texte correspond-il au motif ? `insensitive` : ILIKE. Le motif est supposé valide (pas d'échappement final). */
export function likeMatches(pattern: string, value: string, insensitive = false): boolean {
  const automaton = compiled(insensitive ? foldCase(pattern) : pattern, insensitive);
  return run(automaton, insensitive ? foldCase(value) : value);
}

/** Minuscules caractère par caractère, en casse simple (un point de code donne un point de code). */
export function foldCase(text: string): string {
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    // seule 'İ' (U+0130) a une minuscule complète de deux points de code ; sa minuscule simple est le premier
    out += lower.length === c.length ? lower : String.fromCodePoint(lower.codePointAt(0)!);
  }
  return out;
}

function compiled(pattern: string, insensitive: boolean): LikeAutomaton {
  const key = `${insensitive ? 'i' : 's'}${pattern}`;
  let automaton = cache.get(key);
  if (!automaton) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    automaton = compile(pattern);
    cache.set(key, automaton);
  }
  return automaton;
}

function compile(pattern: string): LikeAutomaton {
  // jetons : point de code littéral, ou null pour `_` ; loops[i] : un `%` avant le jeton i (ou à la fin si i = n)
  const tokens: Array<number | null> = [];
  const loopAt = new Set<number>();
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '%') loopAt.add(tokens.length);
    else if (c === '_') tokens.push(null);
    else if (c === '\\' && i + 1 < chars.length) tokens.push(chars[++i]!.codePointAt(0)!);
    else tokens.push(c.codePointAt(0)!);
  }
  const words = Math.floor(tokens.length / 32) + 1;
  const set = (bits: Uint32Array, i: number) => (bits[i >>> 5] = (bits[i >>> 5]! | (1 << (i & 31))) >>> 0);
  const loops = new Uint32Array(words);
  for (const i of loopAt) set(loops, i);
  const any = new Uint32Array(words);
  tokens.forEach((t, i) => t === null && set(any, i));
  const byChar = new Map<number, Uint32Array>();
  tokens.forEach((t, i) => {
    if (t === null) return;
    let bits = byChar.get(t);
    if (!bits) byChar.set(t, (bits = Uint32Array.from(any)));
    set(bits, i);
  });
  return { words, loops, any, byChar, accept: { word: tokens.length >>> 5, bit: tokens.length & 31 } };
}

function run(a: LikeAutomaton, value: string): boolean {
  let state = new Uint32Array(a.words);
  let next = new Uint32Array(a.words);
  state[0] = 1;
  for (const c of value) {
    const accepts = a.byChar.get(c.codePointAt(0)!) ?? a.any;
    let carry = 0;
    let alive = 0;
    for (let w = 0; w < a.words; w++) {
      // avancer d'un jeton là où il accepte le caractère, ou rester sur place là où un `%` le consomme
      const advancing = state[w]! & accepts[w]!;
      const word = ((advancing << 1) | carry | (state[w]! & a.loops[w]!)) >>> 0;
      carry = advancing >>> 31;
      next[w] = word;
      alive |= word;
    }
    if (alive === 0) return false;
    [state, next] = [next, state];
  }
  return (state[a.accept.word]! & (1 << a.accept.bit)) !== 0;
}
