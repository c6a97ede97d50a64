// Fouille de processus sur des traces écrites à la main : répétitions d'un même état ignorées, état initial sans
// instant (enregistrement importé), médiane paire, variantes limitées, conformité sans trace.
import { describe, expect, it } from 'vitest';
import { conformance, mine, type Trace } from '../../../../src/ai/local/process/mine.js';

const trace = (recordId: string, ...steps: Array<[string, number | null]>): Trace => ({ recordId, steps: steps.map(([state, at]) => ({ state, at })) });

describe('process mining of traces', () => {
  it('ignores a state rewritten unchanged and keeps untimed starts out of the durations', () => {
    const map = mine([
      trace('a', ['open', 0], ['open', 5], ['done', 10]),
      trace('b', ['open', null], ['done', 40]),
      trace('c', ['open', 0], ['done', 30]),
      trace('d', ['open', 0], ['done', 20]),
    ], { maxVariants: 1 });
    expect(map.edges).toEqual([{ from: 'open', to: 'done', count: 4, meanMs: 20, medianMs: 20 }]);
    expect(map.variants).toEqual([{ path: ['open', 'done'], count: 4, share: 1 }]);
    expect(map.conformance).toBeNull();
  });

  it('counts every deviation once per transition and fits an empty log', () => {
    const result = conformance([trace('a', ['x', 0], ['y', 1], ['x', 2], ['y', 3])], { x: ['y'] }, 'request');
    expect(result).toEqual({ source: 'request', fitting: 0, fittingCases: 0, deviations: [{ from: 'y', to: 'x', count: 1, recordIds: ['a'] }] });
    expect(conformance([], {}, 'setting').fitting).toBe(1);
  });
});
