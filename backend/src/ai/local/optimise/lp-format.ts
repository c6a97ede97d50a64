// Traduction d'un modèle JSON en texte au format LP de CPLEX, lu par HiGHS. Les noms fournis par l'appelant ne
// passent jamais dans le texte : variables et contraintes y sont renommées x0…, c0… (aucune injection de syntaxe).
import type { LinearTerms, OptimisationModel } from '@opsflux/sdk';

export interface LpText {
  text: string;
  /** nom LP → nom de l'appelant */
  names: Map<string, string>;
}

const number = (value: number) => {
  const text = String(value);
  // notation exponentielle acceptée par HiGHS, mais jamais « Infinity » ou « NaN » (refusés avant)
  return text.startsWith('-') ? text : `+${text}`;
};

function expression(terms: LinearTerms, ids: Map<string, string>): string {
  const parts = Object.entries(terms).filter(([, coef]) => coef !== 0).map(([name, coef]) => `${number(coef)} ${ids.get(name)!}`);
  // une expression vide s'écrit avec un terme nul sur la première variable
  return parts.length ? parts.join(' ') : `0 ${ids.values().next().value!}`;
}

export function toLp(model: OptimisationModel): LpText {
  const ids = new Map(Object.keys(model.variables).map((name, i) => [name, `x${i}`]));
  const names = new Map([...ids].map(([name, id]) => [id, name]));
  const lines = [model.objective.sense === 'max' ? 'Maximize' : 'Minimize', ` obj: ${expression(model.objective.terms, ids)}`, 'Subject To'];
  model.constraints.forEach((c, i) => lines.push(` c${i}: ${expression(c.terms, ids)} ${c.op} ${c.rhs}`));
  lines.push('Bounds');
  for (const [name, v] of Object.entries(model.variables)) {
    const id = ids.get(name)!;
    const min = v.min === null ? '-inf' : String(v.min ?? 0);
    const max = v.max === null || v.max === undefined ? '+inf' : String(v.max);
    lines.push(` ${min} <= ${id} <= ${max}`);
  }
  const integers = Object.entries(model.variables).filter(([, v]) => v.integer).map(([name]) => ids.get(name)!);
  if (integers.length) lines.push('General', ` ${integers.join(' ')}`);
  lines.push('End');
  return { text: lines.join('\n'), names };
}
