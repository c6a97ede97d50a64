// Export en flux d'une entité : CSV (BOM, CRLF, cellules neutralisées contre l'injection de formules, montants,
// références) et JSON, sur plusieurs pages, avec le filtre, le tri et les champs de la liste ; droit `export`, audit.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  const operations = Array.from({ length: 1200 }, (_, i) => ({
    op: 'create', data: { name: `Customer ${String(i).padStart(4, '0')}`, paymentTermDays: i % 2 ? 30 : 60, creditLimit: { amount: `${i}.50`, currency: 'EUR' } },
  }));
  for (let i = 0; i < operations.length; i += 500) {
    expect((await admin.post('/api/v1/data/customer/bulk', { operations: operations.slice(i, i + 500) })).statusCode).toBe(200);
  }
  await admin.post('/api/v1/data/customer', { name: '=HYPERLINK("http://evil.test","click")', notes: '+1 line\nsecond line, with "quotes"', paymentTermDays: 30 });
});
afterAll(() => server.close());

describe('export', () => {
  it('streams every page as CSV with the list filter, sort and fields, neutralising formulas', async () => {
    const res = await admin.get(`/api/v1/data/customer/export?${qs({ filter: { paymentTermDays: 30 }, sort: 'name', fields: 'name,notes,creditLimit,paymentTermDays' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="customer.csv"');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const rows = parse(res.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(601);
    expect(Object.keys(rows[0]!).sort()).toEqual(['creditLimit', 'id', 'name', 'notes', 'paymentTermDays']);
    expect(rows[0]).toMatchObject({ name: "'=HYPERLINK(\"http://evil.test\",\"click\")", notes: "'+1 line\nsecond line, with \"quotes\"" });
    expect(rows[1]).toMatchObject({ name: 'Customer 0001', creditLimit: '1.50 EUR', paymentTermDays: '30' });
    const dated = parse((await admin.get(`/api/v1/data/customer/export?${qs({ fields: 'name,createdAt' })}`)).body.slice(1), { columns: true }) as Record<string, string>[];
    expect(dated[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rows.at(-1)!.name).toBe('Customer 1199');
  });

  it('streams an Excel workbook: typed cells, text never a formula', async () => {
    const res = await admin.get(`/api/v1/data/customer/export?${qs({ format: 'xlsx', sort: 'name', fields: 'name,paymentTermDays,creditLimit' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(1202);
    expect(sheet.getRow(1).values).toEqual([undefined, 'id', 'name', 'creditLimit', 'paymentTermDays']);
    const evil = sheet.getRow(2);
    expect(evil.getCell(2).value).toBe('=HYPERLINK("http://evil.test","click")');
    expect(evil.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(3).values).toEqual([undefined, expect.any(String), 'Customer 0000', '0.50 EUR', 60]);
  });

  it('streams JSON, refuses bad parameters before streaming, needs the export right, and is audited', async () => {
    const json = await admin.get(`/api/v1/data/customer/export?format=json&${qs({ filter: { name: { like: 'Customer 00%' } }, sort: '-name' })}`);
    const data = JSON.parse(json.body) as { name: string }[];
    expect(data).toHaveLength(100);
    expect(data[0]!.name).toBe('Customer 0099');
    expect((await admin.get('/api/v1/data/customer/export?format=xml')).statusCode).toBe(400);
    expect((await admin.get(`/api/v1/data/customer/export?${qs({ filter: { nope: 1 } })}`)).statusCode).toBe(400);
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.member('no-export', [await kit.role('read-customers', ['customer:read'])]);
    expect((await reader.api.get('/api/v1/data/customer/export')).statusCode).toBe(403);
    const audit = await tenantSql(server.platform, tenant.tenantId, sql<{ changes: { export: { to: { format: string } } } }>`SELECT changes FROM audit_log
      WHERE tenant_id = ${tenant.tenantId} AND action = 'export' AND entity = 'customer' ORDER BY id`);
    expect(audit.rows.map((r) => r.changes.export.to.format)).toEqual(['csv', 'csv', 'xlsx', 'json']);
  });
});
