// Noms propres candidats d'un texte : suites de mots à majuscule (avec les liaisons « de », « & », « of »…), et leurs
// sous-suites, pour retrouver « Acme Industries » dans « chez Acme Industries SA ». Sans correspondance, une suite
// terminée par une forme sociale est une organisation, deux ou trois mots à majuscule hors début de phrase une personne.
import type { TextEntity } from './entity.js';

export interface NameCandidate {
  text: string;
  start: number;
  end: number;
}

const CAPITALISED = /\p{Lu}[\p{L}\p{N}'’&.-]*(?:\s+(?:(?:de|du|des|la|le|et|of|and|&)\s+)?\p{Lu}[\p{L}\p{N}'’&.-]*){0,5}/gu;
const ORG_SUFFIX = /\s(SA|SAS|SASU|SARL|EURL|SCOP|GIE|Ltd|Limited|Inc|LLC|GmbH|AG|BV|PLC|Group|Groupe|Corp|Company)\.?$/;
/** Sous-suites gardées au plus, contre un texte plein de majuscules. */
const MAX_CANDIDATES = 60;
const MAX_WORDS = 5;

/** Suites à majuscule (chaque mot et ses successeurs, jusqu'à cinq mots), des plus longues aux plus courtes. */
export function nameCandidates(text: string): NameCandidate[] {
  const out = new Map<string, NameCandidate>();
  for (const m of text.matchAll(CAPITALISED)) {
    const parts = [...m[0].matchAll(/\S+/g)].map((p) => ({ text: p[0], start: m.index + p.index, end: m.index + p.index + p[0].length }));
    for (let i = 0; i < parts.length; i += 1) {
      for (let j = Math.min(parts.length, i + MAX_WORDS); j > i; j -= 1) {
        const first = parts[i]!;
        const last = parts[j - 1]!;
        if (!/^\p{Lu}/u.test(first.text) || !/^\p{Lu}/u.test(last.text)) continue;
        const candidate = { text: text.slice(first.start, last.end).replace(/[.,]$/, ''), start: first.start, end: first.start + text.slice(first.start, last.end).replace(/[.,]$/, '').length };
        if (candidate.text.length >= 3 && !out.has(`${candidate.start}:${candidate.end}`)) out.set(`${candidate.start}:${candidate.end}`, candidate);
      }
    }
  }
  return [...out.values()].sort((a, b) => (b.end - b.start) - (a.end - a.start)).slice(0, MAX_CANDIDATES);
}

const atSentenceStart = (text: string, start: number) => /(^|[.!?:\n]\s*)$/.test(text.slice(0, start));

/** Noms propres restés sans correspondance : organisations (forme sociale) et personnes (2 ou 3 mots à majuscule). */
export function unmatchedNames(text: string): TextEntity[] {
  const found: TextEntity[] = [];
  for (const m of text.matchAll(CAPITALISED)) {
    let start = m.index;
    let name = m[0].replace(/[.,]$/, '');
    if (ORG_SUFFIX.test(name) && name.split(/\s+/).length >= 2) {
      found.push({ type: 'organisation', text: name, start, end: start + name.length });
      continue;
    }
    let words = name.split(/\s+/);
    // premier mot d'une phrase : sa majuscule ne dit rien (« Appeler Paul Martin »)
    if (atSentenceStart(text, start) && words.length >= 3) {
      start += name.indexOf(words[1]!);
      name = words.slice(1).join(' ');
      words = words.slice(1);
    }
    if (words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$/u.test(w)) && !atSentenceStart(text, start)) {
      found.push({ type: 'person', text: name, start, end: start + name.length });
    }
  }
  return found;
}
