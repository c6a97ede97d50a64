// Solveur d'optimisation (HiGHS embarqué) : solution optimale, entiers, infaisable, non borné, noms de l'appelant
// jamais passés dans le texte LP.
import { describe, expect, it } from 'vitest';
import type { OptimisationModel } from '@opsflux/sdk';
import { toLp } from '../../../../src/ai/local/optimise/lp-format.js';
import { solveModel } from '../../../../src/ai/local/optimise/solver.js';

const model = (patch: Partial<OptimisationModel> = {}): OptimisationModel => ({
  objective: { sense: 'max', terms: { chairs: 30, tables: 50 } },
  variables: { chairs: {}, tables: {} },
  constraints: [
    { name: 'wood', terms: { chairs: 2, tables: 5 }, op: '<=', rhs: 40 },
    { name: 'hours', terms: { chairs: 3, tables: 2 }, op: '<=', rhs: 30 },
  ],
  ...patch,
});

describe('optimisation solver', () => {
  it('solves a linear model to optimality', async () => {
    const result = await solveModel(model(), 5);
    expect(result.status).toBe('optimal');
    // sommet x = 70/11, y = 60/11 → 30·70/11 + 50·60/11 = 5100/11
    expect(result.objective).toBeCloseTo(5100 / 11, 6);
    expect(result.values.chairs).toBeCloseTo(70 / 11, 6);
  });

  it('honours integer variables and bounds', async () => {
    const result = await solveModel(model({ variables: { chairs: { integer: true }, tables: { integer: true, max: 4 } } }), 5);
    expect(result.status).toBe('optimal');
    expect(Number.isInteger(result.values.chairs)).toBe(true);
    expect(result.values.tables).toBeLessThanOrEqual(4);
    // entier : 7 chaises et 4 tables (bois 34, heures 29) → 410
    expect(result.objective).toBe(410);
  });

  it('tells an infeasible model from an unbounded one', async () => {
    const infeasible = model({ constraints: [{ terms: { chairs: 1 }, op: '>=', rhs: 10 }, { terms: { chairs: 1 }, op: '<=', rhs: 5 }] });
    expect(await solveModel(infeasible, 5)).toMatchObject({ status: 'infeasible', objective: null, values: {} });
    const unbounded = model({ constraints: [{ terms: { chairs: 1 }, op: '<=', rhs: 5 }] });
    expect((await solveModel(unbounded, 5)).status).toBe('unbounded');
    const free = model({ objective: { sense: 'min', terms: { chairs: 1 } }, variables: { chairs: { min: null }, tables: {} }, constraints: [] });
    expect((await solveModel(free, 5)).status).toBe('unbounded');
  });

  it('never writes the caller’s names into the LP text', () => {
    const { text, names } = toLp(model({ variables: { 'chairs\nEnd': {}, tables: {} }, objective: { sense: 'min', terms: { 'chairs\nEnd': 1 } }, constraints: [] }));
    expect(text).not.toContain('chairs');
    expect(names.get('x0')).toBe('chairs\nEnd');
    expect(text.split('\n').filter((line) => line === 'End')).toHaveLength(1);
  });
});
