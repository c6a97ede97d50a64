// Banc des règles d'automatisation (scénario `hooks`) : débit et latence des créations par l'API sans règle, puis avec
// cinq règles actives sur l'entité, en manches alternées (la machine dérive). Chaque création évalue les cinq
// conditions ; une seule tient et pose un champ (setFields, même instruction) : on mesure le coût des règles, pas celui
// de leurs actions (un courriel ou un webhook ajoute son propre dépôt de travail).
import type { FastifyInstance } from 'fastify';
import type { Fixture } from './load.js';
import { ENTITY } from './load.js';
import { measure, type Measure } from './scenarios.js';

export interface HookRuleBenchResult {
  backend: string;
  none: Measure;
  fiveRules: Measure;
  /** latence moyenne ajoutée par les cinq règles (%), médiane des manches appariées */
  addedLatencyPct: number;
  /** débit sans règle / débit avec, par paire */
  pairRatios: number[];
  throughputRatio: number;
}

/** Objectif du ticket : au plus 10 % de latence en plus. */
export const HOOK_RULES_TARGET = { addedLatencyPct: 10 };

const RULES = [
  { name: 'Big quantities', events: ['created'], condition: { qty: { gte: 100_000 } }, actions: [{ type: 'job', job: 'audit.verify' }] },
  { name: 'Training sold', events: ['created'], condition: { and: [{ category: 'training' }, { price: { gt: '1000' } }] }, actions: [{ type: 'job', job: 'audit.verify' }] },
  { name: 'Inactive items', events: ['created'], condition: { active: false }, actions: [{ type: 'job', job: 'audit.verify' }] },
  { name: 'Named specials', events: ['created'], condition: { name: { ilike: 'special%' } }, actions: [{ type: 'job', job: 'audit.verify' }] },
  // la seule qui tient : elle pose une valeur que la création écrit déjà (même instruction) — le coût mesuré est celui des
  // règles, pas celui d'une colonne de plus
  { name: 'Active by default', events: ['created'], condition: { category: { null: true } }, actions: [{ type: 'setFields', values: { active: true } }] },
];

async function call(app: FastifyInstance, token: string, method: 'POST' | 'PATCH', url: string, payload: object) {
  const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

const median = (runs: Measure[]) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;

export async function benchHookRules(backend: string, fixture: Fixture, seconds: number, connections: number, rounds: number): Promise<HookRuleBenchResult> {
  const rules: Array<{ id: string }> = [];
  for (const rule of RULES) rules.push(await call(fixture.app, fixture.token, 'POST', '/api/v1/data/hook_rule', { ...rule, entity: ENTITY, active: false }));
  const toggle = async (active: boolean) => {
    for (const rule of rules) await call(fixture.app, fixture.token, 'PATCH', `/api/v1/data/hook_rule/${rule.id}`, { active });
  };
  const target = { base: fixture.url, token: fixture.token, ids: [] };
  const none: Measure[] = [];
  const five: Measure[] = [];
  // le travail de fond laissé par une manche (outbox, chaînage de l'audit) ne doit pas peser sur la suivante
  const settle = async () => {
    await fixture.platform.dispatcher.idle();
    await fixture.platform.chainer.idle();
    await fixture.platform.jobs.idle();
  };
  const side = async (active: boolean, into: Measure[], warm: boolean) => {
    await toggle(active);
    await settle();
    into.push(await measure('api', 'create', target, seconds, connections, warm));
  };
  // manches appariées (les deux configurations l'une après l'autre) : le rapport d'une paire échappe à la dérive lente
  // de la machine ; au moins cinq paires
  const pairs = Math.max(rounds, 5);
  for (let round = 0; round < pairs; round++) {
    // ordre alterné d'une manche à l'autre : aucune configuration ne passe toujours en second
    if (round % 2 === 0) {
      await side(false, none, round === 0);
      await side(true, five, round === 0);
    } else {
      await side(true, five, false);
      await side(false, none, false);
    }
  }
  await toggle(false);
  const a = median(none);
  const b = median(five);
  // latence moyenne par la loi de Little (connexions fixes : latence = connexions / débit) ; le p50 d'autocannon,
  // en millisecondes entières, est trop grossier pour 10 % d'une écriture de 10 ms. Médiane des rapports des paires.
  const ratios = none.map((n, i) => n.rps / five[i]!.rps).sort((x, y) => x - y);
  const result = {
    backend, none: a, fiveRules: b,
    addedLatencyPct: Math.round((ratios[Math.floor(ratios.length / 2)]! - 1) * 1000) / 10,
    pairRatios: ratios.map((r) => Math.round(r * 100) / 100),
    throughputRatio: Math.round((b.rps / a.rps) * 100) / 100,
  };
  console.log(`[${backend}] hooks  create ${a.rps} req/s p50 ${a.p50} ms without rules, ${b.rps} req/s p50 ${b.p50} ms with five (+${result.addedLatencyPct} %)`);
  return result;
}
