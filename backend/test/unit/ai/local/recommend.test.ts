// Recommandations locales sur des paniers générés avec des habitudes plantées : taux de succès « laisser un de côté »
// (un article de chaque panier de test caché, cherché dans les 5 premières propositions), fiches semblables par TF-IDF.
import { describe, expect, it } from 'vitest';
import { recommend, trainCooccurrence } from '../../../../src/ai/local/recommend/cooccurrence.js';
import { addToken, nearest, words, type Tokens } from '../../../../src/ai/local/recommend/tfidf.js';

/** Générateur pseudo-aléatoire reproductible (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 12 lots de 3 articles achetés ensemble, 40 articles de bruit (populaires d'abord), 1 à 2 articles de bruit par panier. */
function baskets(count: number, rand: () => number): string[][] {
  const bundles = Array.from({ length: 12 }, (_, b) => [0, 1, 2].map((i) => `bundle${b}-${i}`));
  const noise = Array.from({ length: 40 }, (_, i) => `noise${i}`);
  return Array.from({ length: count }, () => {
    const bundle = bundles[Math.floor(rand() * bundles.length)]!;
    const basket = bundle.filter(() => rand() < 0.8);
    if (basket.length < 2) basket.splice(0, basket.length, bundle[0]!, bundle[1]!);
    const extra = 1 + Math.floor(rand() * 2);
    for (let i = 0; i < extra; i++) basket.push(noise[Math.floor(rand() * rand() * noise.length)]!);
    return [...new Set(basket)];
  });
}

describe('bought together (co-occurrence)', () => {
  it('finds the hidden item of a basket in the top 5 (leave-one-out hit rate)', () => {
    const rand = random(20);
    const model = trainCooccurrence(baskets(3000, rand));
    const test = baskets(600, rand);
    let hits = 0;
    for (const basket of test) {
      const hidden = basket[Math.floor(rand() * basket.length)]!;
      const top = recommend(model, basket.filter((item) => item !== hidden), 5).map((s) => s.item);
      if (top.includes(hidden)) hits += 1;
    }
    const rate = hits / test.length;
    console.log(`[quality] recommendations leave-one-out top-5 hit rate ${rate.toFixed(3)} (${test.length} baskets)`);
    expect(rate).toBeGreaterThan(0.72);
  });

  it('ranks the planted partners first, with confidence and lift', () => {
    const model = trainCooccurrence(baskets(2000, random(7)));
    const top = recommend(model, ['bundle3-0'], 2);
    expect(top.map((s) => s.item).sort()).toEqual(['bundle3-1', 'bundle3-2']);
    expect(top[0]!.lift).toBeGreaterThan(5);
    expect(top[0]!.confidence).toBeGreaterThan(0.5);
    expect(recommend(model, ['unknown'], 5)).toEqual([]);
  });
});

describe('similar records (TF-IDF)', () => {
  const record = (text: string, attributes: Record<string, string>): Tokens => {
    const tokens: Tokens = new Map();
    for (const w of words(text)) addToken(tokens, `w:${w}`);
    for (const [k, v] of Object.entries(attributes)) addToken(tokens, `a:${k}=${v}`, 2);
    return tokens;
  };

  it('brings together records sharing rare words and attributes, not common ones', () => {
    const corpus = new Map<string, Tokens>([
      ['a', record('Boulangerie Dupont Lyon', { city: 'lyon', category: 'bakery' })],
      ['b', record('Boulangerie Martin Lyon', { city: 'lyon', category: 'bakery' })],
      ['c', record('Garage Martin Paris', { city: 'paris', category: 'garage' })],
      ['d', record('Société Générale Paris', { city: 'paris', category: 'bank' })],
      ['e', record('Société Durand Marseille', { city: 'marseille', category: 'bank' })],
    ]);
    const found = nearest(corpus, 'a', 3);
    expect(found[0]).toMatchObject({ id: 'b' });
    expect(found[0]!.shared).toEqual(expect.arrayContaining(['a:city=lyon', 'a:category=bakery']));
    expect(found.map((n) => n.id)).not.toContain('a');
    expect(words('Crème brûlée, ÉTÉ 2024')).toEqual(['creme', 'brulee', 'ete', '2024']);
  });
});
