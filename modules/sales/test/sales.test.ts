// Ventes installées sur une plateforme neuve : CRM et Stocks installés d'abord ; devis et commandes par l'API
// générique, totaux et taxes dans la devise de la commande, confirmation qui réserve le stock (refusée au-delà du
// disponible), dépendances qui bloquent la désactivation, désactivation et réactivation à chaud.
import { fileURLToPath } from 'node:url';
import { ApiError, type RecordData } from '@opsflux/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleHarness, type ModuleHarness } from '@opsflux/backend/testing/module-harness.ts';

let harness: ModuleHarness;
let customer: RecordData;
let product: RecordData;
let vat20: RecordData;
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (e: ApiError) => e);
const year = new Date().getUTCFullYear();

beforeAll(async () => {
  harness = await moduleHarness(fileURLToPath(new URL('../..', import.meta.url)));
}, 120_000);
afterAll(() => harness?.close());

describe('sales', () => {
  it('installs crm and inventory first, then sales', async () => {
    const { modules } = harness.client;
    expect((await modules.install('sales')).state).toBe('active');
    const states = Object.fromEntries((await modules.list()).data.map((m) => [m.name, m.state]));
    expect(states).toMatchObject({ crm: 'active', inventory: 'active', sales: 'active' });
    // ordre d'installation dans ce tenant : le journal d'audit, dans l'ordre d'écriture
    const { rows } = await harness.sql(sql<{ name: string }>`SELECT changes->'name'->>'to' AS name FROM audit_log
      WHERE tenant_id = ${harness.tenantId} AND action = 'module.install' ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(['crm', 'inventory', 'sales']);
  });

  it('creates a quotation through the generic API with lines, taxes and totals', async () => {
    const { records } = harness.client;
    customer = await records.create('customer', { name: 'Contoso', paymentTermDays: 30 });
    const unit = (await records.list('uom', { filter: { eid: 'uom-u' } })).data[0]!;
    product = await records.create('inv_product', { name: 'Pallet jack', sku: 'PJ-1', uom: unit.id, salePrice: { amount: '12.50', currency: 'EUR' } });
    const [supplier, stock] = await Promise.all(['supplier', 'stock'].map(async (u) => (await records.list('inv_location', { filter: { eid: `inv-loc-${u}` } })).data[0]!));
    await records.create('inv_move', { product: product.id, quantity: '10', source: supplier!.id, destination: stock!.id, state: 'done' });
    vat20 = (await records.list('sales_tax', { filter: { eid: 'sales-tax-vat20' } })).data[0]!;
    const order = await records.create('sales_order', { customer: customer.id });
    expect(order).toMatchObject({ number: `SO-${year}-00001`, state: 'draft', totalAmount: '0.0000' });
    const line = await records.create('sales_order_line', { order: order.id, product: product.id, quantity: '3', tax: vat20.id });
    expect(line).toMatchObject({ description: 'Pallet jack', unitPrice: '12.5000', subtotal: '37.5000', taxAmount: '7.5000', total: '45.0000' });
    await records.create('sales_order_line', { order: order.id, description: 'Delivery', quantity: '1', unitPrice: '19.99', discount: '10', tax: vat20.id });
    // 17,991 → 17,99 HT ; taxe 3,598 → 3,60
    expect(await records.get('sales_order', order.id)).toMatchObject({ untaxedAmount: '55.4900', taxAmount: '11.1000', totalAmount: '66.5900' });
    const second = await records.create('sales_order', { customer: customer.id });
    expect(second.number).toBe(`SO-${year}-00002`);
  });

  it('converts prices into the order currency and rounds to its decimals', async () => {
    const { records } = harness.client;
    const today = new Date().toISOString().slice(0, 10);
    await fetch(`${harness.baseUrl}/api/v1/currencies/rates/import`, {
      method: 'POST', headers: { authorization: `Bearer ${harness.token}`, 'content-type': 'text/csv' }, body: `date,base,quote,rate\n${today},EUR,JPY,161.37\n`,
    });
    const yen = (await records.list('currency', { filter: { code: 'JPY' } })).data[0]!;
    const order = await records.create('sales_order', { customer: customer.id, currency: yen.id });
    const line = await records.create('sales_order_line', { order: order.id, product: product.id, quantity: '2' });
    // 12,50 € × 161,37 = 2 017,125 ¥ → 2 017 ¥ (le yen n'a pas de décimales)
    expect(line).toMatchObject({ unitPrice: '2017.0000', subtotal: '4034.0000', total: '4034.0000' });
  });

  it('reserves stock on confirmation, refuses beyond what is available, and releases on cancellation', async () => {
    const { records } = harness.client;
    const [order] = (await records.list('sales_order', { filter: { number: `SO-${year}-00001` } })).data;
    const confirmed = await harness.client.module('sales').post<RecordData>(`/orders/${order!.id}/confirm`, {});
    expect(confirmed.state).toBe('confirmed');
    const stock = () => harness.client.module('inventory').get<{ available: string; reserved: string }>(`/stock/${product.id}`);
    expect(await stock()).toMatchObject({ reserved: '3', available: '7' });
    const locked = await failure(records.create('sales_order_line', { order: order!.id, description: 'Late', quantity: '1', unitPrice: '1' }));
    expect(locked.problem.code).toBe('order_locked');
    const big = await records.create('sales_order', { customer: customer.id });
    await records.create('sales_order_line', { order: big.id, product: product.id, quantity: '8' });
    const refused = await failure(records.update('sales_order', big.id, { state: 'confirmed' }));
    expect(refused.problem).toMatchObject({ status: 422, code: 'insufficient_stock' });
    expect((await records.get('sales_order', big.id)).state).toBe('draft');
    expect((await stock()).reserved).toBe('3');
    const empty = await records.create('sales_order', { customer: customer.id });
    expect((await failure(records.update('sales_order', empty.id, { state: 'confirmed' }))).problem.code).toBe('empty_order');
    await harness.client.module('sales').post(`/orders/${order!.id}/cancel`, {});
    expect(await stock()).toMatchObject({ reserved: '0', available: '10' });
    expect((await failure(records.update('sales_order', order!.id, { state: 'sent' }))).problem.code).toBe('invalid_transition');
  });

  it('refuses to deactivate inventory while sales is active; deactivating sales removes its routes at once, reactivating brings its data back', async () => {
    const { modules, records } = harness.client;
    const blocked = await failure(modules.deactivate('inventory'));
    expect(blocked.problem).toMatchObject({ status: 409, code: 'active_dependants', errors: [{ field: 'sales' }] });
    const order = await records.get('sales_order', (await records.list('sales_order', { sort: 'number', limit: 1 })).data[0]!.id);
    expect(order.number).toBe(`SO-${year}-00001`);
    expect((await modules.deactivate('sales')).state).toBe('inactive');
    // ni la liste ni une commande connue ne sont plus servies
    expect((await failure(records.list('sales_order'))).status).toBe(404);
    expect((await failure(records.get('sales_order', order.id))).status).toBe(404);
    expect((await failure(harness.client.module('sales').post(`/orders/${order.id}/confirm`, {}))).status).toBe(404);
    expect((await modules.activate('sales')).state).toBe('active');
    expect((await records.list('sales_order')).data.length).toBe(5);
    expect(await records.get('sales_order', order.id)).toEqual(order);
  });

  it('uninstalls sales without its data (its sequence goes too), then inventory, which refuses while stock is reserved', async () => {
    const { modules, records } = harness.client;
    const [order] = (await records.list('sales_order', { filter: { state: 'draft' }, sort: 'number', limit: 1 })).data;
    await records.create('sales_order_line', { order: order!.id, product: product.id, quantity: '1', unitPrice: '10' });
    await harness.client.module('sales').post(`/orders/${order!.id}/confirm`, {});
    expect((await modules.uninstall('sales', false)).state).toBe('available');
    expect((await records.list('sequence', { filter: { code: 'sales.order' } })).data).toEqual([]);
    const refused = await failure(modules.uninstall('inventory', false));
    expect(refused.problem).toMatchObject({ status: 409, code: 'stock_reserved' });
    expect((await modules.get('inventory')).state).toBe('active');
    expect((await modules.uninstall('inventory', true)).state).toBe('available');
  });

  it('reinstalls sales (its seeds restored by eid) while crm is installed but inactive: crm is reactivated with it, not left half-loaded', async () => {
    const { modules } = harness.client;
    expect((await modules.deactivate('crm')).state).toBe('inactive');
    expect((await modules.install('sales')).state).toBe('active');
    const states = Object.fromEntries((await modules.list()).data.map((m) => [m.name, m.state]));
    expect(states).toMatchObject({ crm: 'active', inventory: 'active', sales: 'active' });
    const { rows } = await harness.sql(sql<{ action: string; name: string }>`SELECT action, changes->'name'->>'to' AS name FROM audit_log
      WHERE tenant_id = ${harness.tenantId} AND action IN ('module.activate', 'module.install') ORDER BY id DESC LIMIT 3`);
    expect(rows.reverse()).toEqual([{ action: 'module.activate', name: 'crm' }, { action: 'module.install', name: 'inventory' }, { action: 'module.install', name: 'sales' }]);
    expect((await harness.client.records.list('crm_lead')).data).toBeInstanceOf(Array);
  });
});
