// Stocks installés sur une vraie plateforme : mouvements faits qui ajustent les quantités (conversion d'unités),
// stock insuffisant refusé sans effet, mouvements figés, réservations bornées par le disponible.
import { fileURLToPath } from 'node:url';
import { ApiError, type RecordData } from '@opsflux/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleHarness, type ModuleHarness } from '@opsflux/backend/testing/module-harness.ts';

let harness: ModuleHarness;
let product: RecordData;
const locations: Record<string, string> = {};
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (e: ApiError) => e);

beforeAll(async () => {
  harness = await moduleHarness(fileURLToPath(new URL('../..', import.meta.url)));
  await harness.client.modules.install('inventory');
  const { records } = harness.client;
  for (const location of (await records.list('inv_location')).data) locations[location.eid.replace('inv-loc-', '')] = location.id;
  const kg = (await records.list('uom', { filter: { eid: 'uom-kg' } })).data[0]!;
  product = await records.create('inv_product', { name: 'Flour', sku: 'FLOUR-25', uom: kg.id, salePrice: { amount: '1.20', currency: 'EUR' } });
}, 120_000);
afterAll(() => harness?.close());

const stock = async () => harness.client.module('inventory').get<{ quantity: string; reserved: string; available: string }>(`/stock/${product.id}`);

describe('inventory', () => {
  it('installs a warehouse with its stock location and virtual locations', async () => {
    expect(Object.keys(locations).sort()).toEqual(['adjustment', 'customer', 'stock', 'supplier']);
    const [warehouse] = (await harness.client.records.list('inv_warehouse')).data;
    expect(warehouse).toMatchObject({ code: 'WH', stockLocation: locations.stock });
  });

  it('moves stock in the product unit, converting other units of the same category', async () => {
    const { records } = harness.client;
    await records.create('inv_move', { product: product.id, quantity: '10', source: locations.supplier, destination: locations.stock, state: 'done' });
    expect(await stock()).toMatchObject({ quantity: '10', reserved: '0', available: '10' });
    const gram = (await records.list('uom', { filter: { eid: 'uom-g' } })).data[0]!;
    const draft = await records.create('inv_move', { product: product.id, quantity: '500', uom: gram.id, source: locations.stock, destination: locations.customer });
    expect((await stock()).quantity).toBe('10');
    await records.update('inv_move', draft.id, { state: 'done' });
    expect((await stock()).quantity).toBe('9.5');
    const locked = await failure(records.update('inv_move', draft.id, { quantity: '1' }));
    expect(locked.problem).toMatchObject({ status: 409, code: 'move_locked' });
  });

  it('refuses to take more than the stock holds, without any effect', async () => {
    const { records } = harness.client;
    const refused = await failure(records.create('inv_move', { product: product.id, quantity: '20', source: locations.stock, destination: locations.customer, state: 'done' }));
    expect(refused.problem).toMatchObject({ status: 422, code: 'insufficient_stock' });
    expect((await stock()).quantity).toBe('9.5');
    expect((await records.list('inv_move', { filter: { quantity: '20' } })).data).toHaveLength(0);
    const same = await failure(records.create('inv_move', { product: product.id, quantity: '1', source: locations.stock, destination: locations.stock }));
    expect(same.problem.code).toBe('same_location');
  });

  it('reserves within the available quantity and releases', async () => {
    const { records } = harness.client;
    const reservation = await records.create('inv_reservation', { product: product.id, location: locations.stock, quantity: '4', reference: 'R1' });
    expect(await stock()).toMatchObject({ quantity: '9.5', reserved: '4', available: '5.5' });
    const refused = await failure(records.create('inv_reservation', { product: product.id, location: locations.stock, quantity: '6', reference: 'R2' }));
    expect(refused.problem).toMatchObject({ code: 'insufficient_stock', detail: 'Only 5.5 Flour available.' });
    await records.update('inv_reservation', reservation.id, { state: 'released' });
    expect((await stock()).available).toBe('9.5');
  });

  it('refuses to uninstall without its data while stock is reserved, then uninstalls and erases it', async () => {
    const { records, modules } = harness.client;
    const reservation = await records.create('inv_reservation', { product: product.id, location: locations.stock, quantity: '1', reference: 'R3' });
    const refused = await failure(modules.uninstall('inventory', false));
    expect(refused.problem).toMatchObject({ status: 409, code: 'stock_reserved' });
    await records.update('inv_reservation', reservation.id, { state: 'released' });
    expect((await modules.uninstall('inventory', false)).state).toBe('available');
    await modules.install('inventory');
    expect((await records.list('inv_move')).data).toHaveLength(0);
  });
});
