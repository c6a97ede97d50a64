// Service d'optimisation : valide un modèle (noms déclarés, nombres finis), applique les bornes de taille et de temps
// du tenant, puis le résout. Un modèle trop grand est refusé (413) ; infaisable ou non borné est un statut rendu à
// l'appelant (la route en fait un 422 motivé, un module décide lui-même).
import type { FieldError, OptimisationModel, OptimisationResult } from '@opsflux/sdk';
import type { Settings } from '../../../config/settings.js';
import { ProblemError, validationFailed } from '../../../errors/problem.js';
import { message, type Locale } from '../../../text/messages.js';
import { solveModel, SolverError } from './solver.js';

export interface OptimiseCall {
  tenantId: string;
  userId: string | null;
  locale: Locale;
}

function checkModel(model: OptimisationModel, locale: Locale): void {
  const errors: FieldError[] = [];
  const finite = (value: unknown, field: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) errors.push({ field, code: 'optimise_bad_number', message: message(locale, 'optimise_bad_number') });
  };
  const terms = (values: Record<string, number>, field: string) => {
    for (const [name, coef] of Object.entries(values)) {
      if (!Object.hasOwn(model.variables, name)) errors.push({ field: `${field}.${name}`, code: 'optimise_unknown_variable', message: message(locale, 'optimise_unknown_variable', { name }) });
      finite(coef, `${field}.${name}`);
    }
  };
  for (const [name, v] of Object.entries(model.variables)) {
    if (v.min !== undefined && v.min !== null) finite(v.min, `variables.${name}.min`);
    if (v.max !== undefined && v.max !== null) finite(v.max, `variables.${name}.max`);
    if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) {
      errors.push({ field: `variables.${name}`, code: 'optimise_bad_bounds', message: message(locale, 'optimise_bad_bounds') });
    }
  }
  terms(model.objective.terms, 'objective.terms');
  model.constraints.forEach((c, i) => { terms(c.terms, `constraints.${i}.terms`); finite(c.rhs, `constraints.${i}.rhs`); });
  if (errors.length) throw validationFailed(errors.slice(0, 50));
}

export class OptimiseService {
  constructor(private readonly settings: Settings) {}

  /** Résout le modèle dans les bornes du tenant ; le statut dit s'il a une solution. */
  async solve(call: OptimiseCall, model: OptimisationModel): Promise<OptimisationResult> {
    const audience = { tenantId: call.tenantId, userId: call.userId };
    const [maxVariables, maxConstraints, maxSeconds] = await Promise.all([
      this.settings.value<number>('ai.local.optimise.maxVariables', audience),
      this.settings.value<number>('ai.local.optimise.maxConstraints', audience),
      this.settings.value<number>('ai.local.optimise.timeLimitSeconds', audience),
    ]);
    const tooLarge = (max: number, what: string, setting: string) =>
      new ProblemError(413, 'optimise_too_large', message(call.locale, 'optimise_too_large', { max, what, setting }));
    if (Object.keys(model.variables).length > maxVariables) throw tooLarge(maxVariables, 'variables', 'maxVariables');
    if (model.constraints.length > maxConstraints) throw tooLarge(maxConstraints, 'constraints', 'maxConstraints');
    checkModel(model, call.locale);
    const seconds = Math.min(model.timeLimitSeconds ?? maxSeconds, maxSeconds);
    try {
      return await solveModel(model, seconds);
    } catch (error) {
      if (error instanceof SolverError) throw new ProblemError(422, 'optimise_failed', message(call.locale, 'optimise_failed', { status: error.highsStatus }));
      throw error;
    }
  }

  /** Comme `solve`, mais un modèle sans solution devient un 422 motivé (API). */
  async solveOrExplain(call: OptimiseCall, model: OptimisationModel): Promise<OptimisationResult> {
    const result = await this.solve(call, model);
    if (result.status === 'infeasible' || result.status === 'unbounded') {
      throw new ProblemError(422, `optimise_${result.status}`, message(call.locale, `optimise_${result.status}`));
    }
    if (result.status === 'time_limit' && result.objective === null) {
      throw new ProblemError(422, 'optimise_time_limit', message(call.locale, 'optimise_time_limit', { seconds: model.timeLimitSeconds ?? '' }));
    }
    return result;
  }
}
