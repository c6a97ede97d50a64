import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DrainLoop } from '../../../src/background/drain-loop.js';

/** Boucle dont chaque passe est comptée et dure `passMs`. */
function counted(settleMs: number, passMs = 5) {
  const passes: number[] = [];
  const loop = new DrainLoop(async () => {
    passes.push(Date.now());
    await sleep(passMs);
  }, (error) => {
    throw error;
  }, { settleMs });
  return { loop, passes };
}

describe('DrainLoop', () => {
  it('runs a kick at once, then groups the kicks that arrive during a pass into one more pass', async () => {
    const { loop, passes } = counted(0);
    loop.start(60_000);
    expect(passes).toHaveLength(1);
    for (let i = 0; i < 10; i++) loop.kick();
    await loop.idle();
    expect(passes).toHaveLength(2);
    await loop.stop();
  });

  it('waits settleMs between passes, and idle() flushes a delayed pass', async () => {
    const { loop, passes } = counted(200);
    loop.start(60_000);
    await loop.idle();
    loop.kick(); // dans le délai : différée
    await sleep(20);
    expect(passes).toHaveLength(1);
    await loop.idle();
    expect(passes).toHaveLength(2);
    loop.kick();
    await sleep(600);
    expect(passes).toHaveLength(3);
    expect(passes[2]! - passes[1]!).toBeGreaterThanOrEqual(190);
    await loop.stop();
  });

  it('ignores kicks once stopped and cancels a delayed pass', async () => {
    const { loop, passes } = counted(100);
    loop.start(60_000);
    await loop.idle();
    loop.kick();
    await loop.stop();
    await sleep(150);
    loop.kick();
    expect(passes).toHaveLength(1);
  });

  it('reports a failing pass and keeps going', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new DrainLoop(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    }, (error) => errors.push(error));
    loop.start(60_000);
    await loop.idle();
    loop.kick();
    await loop.idle();
    expect(errors).toEqual([new Error('boom')]);
    expect(calls).toBe(2);
    await loop.stop();
  });
});
