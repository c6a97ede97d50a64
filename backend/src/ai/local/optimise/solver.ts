// Résolution par HiGHS compilé en WebAssembly (paquet `highs`, binaire livré dans le paquet, rien de téléchargé) :
// chargé une fois par processus, chaque appel crée une instance native neuve et la détruit (aucun état partagé).
// Le calcul est synchrone et borné par la limite de temps.
import type { OptimisationModel, OptimisationResult, OptimisationStatus } from '@opsflux/sdk';
import highsModule, { type Highs } from 'highs';
import { lazyLoad } from '../lazy.js';
import { toLp } from './lp-format.js';

// types du paquet écrits en CommonJS (la fonction sous `default`) ; en ESM, le défaut est la fonction elle-même
const highsLoader = ((highsModule as { default?: unknown }).default ?? highsModule) as typeof highsModule.default;

const highs = lazyLoad(() => highsLoader());

/** Statut de HiGHS qui porte une solution exploitable, et le nôtre. */
const STATUSES: Record<string, OptimisationStatus> = {
  Optimal: 'optimal',
  Infeasible: 'infeasible',
  Unbounded: 'unbounded',
  'Time limit reached': 'time_limit',
};

export class SolverError extends Error {
  constructor(readonly highsStatus: string) {
    super(`solver stopped with status ${highsStatus}`);
    this.name = 'SolverError';
  }
}

type Solution = ReturnType<Highs['solve']>;

export async function solveModel(model: OptimisationModel, timeLimitSeconds: number): Promise<OptimisationResult> {
  const solver = await highs();
  const { text, names } = toLp(model);
  const started = performance.now();
  const run = (presolve: 'choose' | 'off'): Solution => solver.solve(text, { time_limit: timeLimitSeconds, presolve, output_flag: false });
  let solution = run('choose');
  // le prérésolveur ne tranche pas toujours entre infaisable et non borné : sans lui, le simplexe le dit
  if (solution.Status === 'Primal infeasible or unbounded') solution = run('off');
  const status = STATUSES[solution.Status];
  if (!status) throw new SolverError(solution.Status);
  const values: Record<string, number> = {};
  const withValues = status === 'optimal' || (status === 'time_limit' && Number.isFinite(solution.ObjectiveValue));
  if (withValues) {
    for (const [id, column] of Object.entries(solution.Columns)) {
      const primal = (column as { Primal?: number }).Primal;
      if (typeof primal === 'number') values[names.get(id) ?? id] = clean(primal, model.variables[names.get(id) ?? id]?.integer);
    }
  }
  return {
    status,
    objective: withValues && Object.keys(values).length ? solution.ObjectiveValue : null,
    values: withValues ? values : {},
    durationMs: Math.round(performance.now() - started),
  };
}

/** Arrondit le bruit numérique (1e-9) et les entiers. */
function clean(value: number, integer?: boolean): number {
  if (integer) return Math.round(value);
  const rounded = Math.round(value * 1e9) / 1e9;
  return Object.is(rounded, -0) ? 0 : rounded;
}
