// Modèles appris par tenant : écrits, relus, remplacés et oubliés dans la transaction du tenant ; la RLS les isole
// (même sorte, même portée dans deux tenants).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../../src/db/transaction.js';
import { deleteModels, listModels, readModel, writeModel } from '../../../../src/ai/local/model-store.js';
import { newTenant, startServer, type TestServer } from '../../../support/platform.js';

let server: TestServer;
let tenants: [string, string];

beforeAll(async () => {
  server = await startServer();
  tenants = [(await newTenant(server)).tenantId, (await newTenant(server)).tenantId];
});
afterAll(() => server?.close());

const inT = <T>(tenantId: string, work: Parameters<typeof inTenant<T>>[2]) => inTenant(server.platform.db, { tenantId }, work);

describe('local model store', () => {
  it('keeps one model per kind and scope and per tenant', async () => {
    const [a, b] = tenants;
    await inT(a, (trx) => writeModel(trx, 'anomaly', 'customer.creditLimit', { median: 10 }, { rows: 3 }));
    await inT(b, (trx) => writeModel(trx, 'anomaly', 'customer.creditLimit', { median: 99 }));
    await inT(a, (trx) => writeModel(trx, 'anomaly', 'customer.creditLimit', { median: 12 }, { rows: 4 }));
    await inT(a, (trx) => writeModel(trx, 'anomaly', 'supplier.creditLimit', { median: 1 }));

    const mine = await inT(a, (trx) => readModel<{ median: number }>(trx, 'anomaly', 'customer.creditLimit'));
    expect(mine).toMatchObject({ kind: 'anomaly', scope: 'customer.creditLimit', model: { median: 12 }, stats: { rows: 4 } });
    expect((await inT(b, (trx) => readModel<{ median: number }>(trx, 'anomaly', 'customer.creditLimit')))?.model).toEqual({ median: 99 });
    expect((await inT(a, (trx) => listModels(trx, 'anomaly'))).map((m) => m.scope).sort()).toEqual(['customer.creditLimit', 'supplier.creditLimit']);
    expect(await inT(b, (trx) => listModels(trx, 'anomaly'))).toHaveLength(1);

    expect(await inT(a, (trx) => deleteModels(trx, 'anomaly', 'supplier.creditLimit'))).toBe(1);
    expect(await inT(a, (trx) => deleteModels(trx, 'anomaly'))).toBe(1);
    expect(await inT(a, (trx) => readModel(trx, 'anomaly', 'customer.creditLimit'))).toBeUndefined();
    expect(await inT(b, (trx) => readModel(trx, 'anomaly', 'customer.creditLimit'))).toBeDefined();
  });
});
