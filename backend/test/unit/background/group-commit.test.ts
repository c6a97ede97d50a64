// Écritures groupées : la première part seule, celles qui arrivent pendant son écriture partent ensemble ensuite ;
// chacun attend l'écriture qui l'emporte et en reçoit l'erreur, sans bloquer les suivantes.
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/background/group-commit.js';

describe('GroupCommit', () => {
  it('writes the items that arrive during a write together in the next one', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const group = new GroupCommit<number>(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = group.add(1);
    await Promise.resolve();
    const later = [group.add(2), group.add(3), group.add(4)];
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([[1]]);
    expect(firstDone).toBe(false);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('gives a failed write to its own items only', async () => {
    const group = new GroupCommit<string>(async (batch) => {
      if (batch.includes('bad')) throw new Error('constraint violated');
    });
    await expect(group.add('bad')).rejects.toThrow('constraint violated');
    await expect(group.add('good')).resolves.toBeUndefined();
  });
});
