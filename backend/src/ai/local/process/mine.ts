// Fouille de processus sur des traces (suite des états d'un enregistrement, horodatés) : graphe des successions
// directes avec fréquences et durées, variantes, goulets (transitions les plus lentes) et conformité aux transitions
// déclarées. Fonctions pures : les traces viennent du journal d'audit (events.ts).

export interface TraceStep {
  state: string;
  /** instant d'entrée dans l'état (ms) ; inconnu pour l'état initial d'un enregistrement importé sans création */
  at: number | null;
}

export interface Trace {
  recordId: string;
  steps: TraceStep[];
}

export interface StateStats {
  state: string;
  /** enregistrements passés par l'état */
  cases: number;
  starts: number;
  ends: number;
  /** position moyenne de la première entrée dans l'état (0 = état initial) : ordre de dessin */
  rank: number;
}

export interface EdgeStats {
  from: string;
  to: string;
  count: number;
  /** durées entre l'entrée dans `from` et le passage à `to` (transitions horodatées aux deux bouts) */
  meanMs: number | null;
  medianMs: number | null;
}

export interface Variant {
  path: string[];
  count: number;
  share: number;
}

export interface Deviation {
  from: string;
  to: string;
  count: number;
  recordIds: string[];
}

export interface Conformance {
  /** d'où viennent les transitions permises : la requête ou le réglage */
  source: 'request' | 'setting';
  /** part des enregistrements dont toutes les transitions sont permises */
  fitting: number;
  fittingCases: number;
  deviations: Deviation[];
}

export interface ProcessMap {
  cases: number;
  transitions: number;
  states: StateStats[];
  edges: EdgeStats[];
  variants: Variant[];
  bottlenecks: EdgeStats[];
  conformance: Conformance | null;
}

export type Transitions = Record<string, string[]>;

const DEVIATION_SAMPLES = 5;
const BOTTLENECKS = 3;

/** Suites d'états sans répétition immédiate (une mise à jour qui réécrit le même état n'est pas une transition). */
export function compact(trace: Trace): Trace {
  const steps: TraceStep[] = [];
  for (const step of trace.steps) if (steps.at(-1)?.state !== step.state) steps.push(step);
  return { recordId: trace.recordId, steps };
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mine(input: Trace[], options: { maxVariants: number; transitions?: { map: Transitions; source: Conformance['source'] } }): ProcessMap {
  const traces = input.map(compact).filter((t) => t.steps.length > 0);
  const states = new Map<string, { cases: number; starts: number; ends: number; ranks: number[] }>();
  const edges = new Map<string, { from: string; to: string; count: number; durations: number[] }>();
  const variants = new Map<string, { path: string[]; count: number }>();
  let transitions = 0;

  for (const { steps } of traces) {
    const seen = new Set<string>();
    steps.forEach((step, i) => {
      const s = states.get(step.state) ?? { cases: 0, starts: 0, ends: 0, ranks: [] };
      if (!seen.has(step.state)) {
        seen.add(step.state);
        s.cases++;
        s.ranks.push(i);
      }
      if (i === 0) s.starts++;
      if (i === steps.length - 1) s.ends++;
      states.set(step.state, s);
      if (i === 0) return;
      const prev = steps[i - 1]!;
      const key = `${prev.state}\u0000${step.state}`;
      const edge = edges.get(key) ?? { from: prev.state, to: step.state, count: 0, durations: [] };
      edge.count++;
      if (prev.at !== null && step.at !== null) edge.durations.push(step.at - prev.at);
      edges.set(key, edge);
      transitions++;
    });
    const path = steps.map((s) => s.state);
    const key = path.join('\u0000');
    const variant = variants.get(key) ?? { path, count: 0 };
    variant.count++;
    variants.set(key, variant);
  }

  const edgeStats: EdgeStats[] = [...edges.values()].map(({ from, to, count, durations }) => {
    const sorted = durations.sort((a, b) => a - b);
    return {
      from, to, count,
      meanMs: sorted.length ? Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length) : null,
      medianMs: sorted.length ? Math.round(median(sorted)) : null,
    };
  }).sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));

  const stateStats: StateStats[] = [...states].map(([state, s]) => ({
    state, cases: s.cases, starts: s.starts, ends: s.ends, rank: Number((s.ranks.reduce((a, b) => a + b, 0) / s.ranks.length).toFixed(3)),
  })).sort((a, b) => a.rank - b.rank || b.cases - a.cases || a.state.localeCompare(b.state));

  const bottlenecks = edgeStats.filter((e) => e.medianMs !== null)
    .sort((a, b) => b.medianMs! - a.medianMs! || b.meanMs! - a.meanMs! || b.count - a.count).slice(0, BOTTLENECKS);

  return {
    cases: traces.length,
    transitions,
    states: stateStats,
    edges: edgeStats,
    variants: [...variants.values()].sort((a, b) => b.count - a.count || a.path.join('>').localeCompare(b.path.join('>')))
      .slice(0, options.maxVariants)
      .map((v) => ({ path: v.path, count: v.count, share: Number((v.count / traces.length).toFixed(4)) })),
    bottlenecks,
    conformance: options.transitions ? conformance(traces, options.transitions.map, options.transitions.source) : null,
  };
}

/** Conformité : une trace est conforme quand chacune de ses transitions figure parmi les transitions permises. */
export function conformance(traces: Trace[], allowed: Transitions, source: Conformance['source']): Conformance {
  const deviations = new Map<string, Deviation>();
  let fittingCases = 0;
  for (const { recordId, steps } of traces) {
    let fits = true;
    for (let i = 1; i < steps.length; i++) {
      const from = steps[i - 1]!.state;
      const to = steps[i]!.state;
      if (allowed[from]?.includes(to)) continue;
      fits = false;
      const key = `${from}\u0000${to}`;
      const deviation = deviations.get(key) ?? { from, to, count: 0, recordIds: [] };
      deviation.count++;
      if (deviation.recordIds.length < DEVIATION_SAMPLES && !deviation.recordIds.includes(recordId)) deviation.recordIds.push(recordId);
      deviations.set(key, deviation);
    }
    if (fits) fittingCases++;
  }
  return {
    source,
    fitting: traces.length ? Number((fittingCases / traces.length).toFixed(4)) : 1,
    fittingCases,
    deviations: [...deviations.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from)),
  };
}
