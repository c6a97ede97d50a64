// Import de fichiers : CSV d'un tableur (BOM, point-virgule, fins de ligne mêlées, retours à la ligne entre
// guillemets, nombres et dates à la française, références par eid), JSON, JSON Lines et Excel ; upsert par eid, essai à
// blanc, tout ou rien contre lignes invalides sautées, rapport d'erreurs, encodages, modèles, droits, annulation et
// progression en server-sent events. Chaque ligne créée est auditée.
import { defineEntity } from '@opsflux/sdk';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, onServer, qs, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { BACKGROUND } from '../../support/timeouts.js';

const stockItem = defineEntity({
  name: 'stock_item',
  label: { en: 'Stock item', fr: 'Article en stock' },
  fields: {
    name: { type: 'string', required: true, label: { en: 'Name', fr: 'Désignation' } },
    sku: { type: 'string', unique: true, label: { en: 'SKU', fr: 'Référence' } },
    quantity: { type: 'integer', min: 0, label: { en: 'Quantity', fr: 'Quantité' } },
    weight: { type: 'decimal', label: { en: 'Weight', fr: 'Poids' } },
    price: { type: 'money', label: { en: 'Price', fr: 'Prix' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Actif' } },
    since: { type: 'date', label: { en: 'Since', fr: 'Depuis' } },
    kind: { type: 'enum', options: { values: ['raw', 'finished'] }, label: { en: 'Kind', fr: 'Nature' } },
    category: { type: 'ref', options: { to: 'category' }, label: { en: 'Category', fr: 'Catégorie' } },
    labels: { type: 'tags', label: { en: 'Labels', fr: 'Étiquettes' } },
    notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
  },
});

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

function upload(token: string, entity: string, query: Record<string, string>, content: Buffer | string, filename: string, locale = 'en') {
  const { payload, contentType } = multipart(Buffer.isBuffer(content) ? content : Buffer.from(content), filename);
  return server.app.inject({
    method: 'POST', url: `/api/v1/data/${entity}/import?${new URLSearchParams(query)}`, payload,
    headers: { 'content-type': contentType, authorization: `Bearer ${token}`, 'accept-language': locale },
  });
}

/** Import attendu jusqu'à sa fin. */
async function run(content: Buffer | string, filename: string, query: Record<string, string> = {}, entity = 'stock_item') {
  const res = await upload(tenant.token, entity, { wait: 'true', ...query }, content, filename);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function errorsOf(jobId: string) {
  return (await admin.get(`/api/v1/imports/${jobId}/errors`)).json().data as Array<{ row: number; field: string; code: string; message: string; value: string | null }>;
}

async function items(filter: unknown = {}) {
  return (await admin.get(`/api/v1/data/stock_item?${qs({ filter, sort: 'sku', limit: 500 })}`)).json().data as Array<Record<string, unknown>>;
}

beforeAll(async () => {
  server = await startServer({ entities: [stockItem] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  expect((await admin.post('/api/v1/data/category', { eid: 'CAT-TOOLS', name: 'Tools' })).statusCode).toBe(201);
  expect((await admin.post('/api/v1/data/category', { eid: 'CAT-PARTS', name: 'Parts' })).statusCode).toBe(201);
});
afterAll(() => server.close());

describe('import', () => {
  it('imports a French spreadsheet CSV: BOM, semicolons, mixed line endings, quoted newlines, labels as headers, references by eid', async () => {
    const csv = '\uFEFFeid;Désignation;Référence;Quantité;Poids;Prix;Actif;Depuis;Nature;Catégorie;Étiquettes;Notes;createdAt\r\n'
      + 'ITEM-1;Marteau;SKU-1;1 200;1,5;12,50 EUR;oui;31/12/2024;finished;CAT-TOOLS;"rouge; lourd";"ligne 1\nligne 2";2020-01-01\n'
      + 'ITEM-2;Vis;SKU-2;;0,01;EUR 0.10;non;2025-01-02;RAW;CAT-PARTS;;;\r'
      + 'ITEM-3;"Clé ""plate""";SKU-3;3;2;3.00 USD;;;raw;;;"=cmd|\' /c calc\'!A1";\r\n';
    const job = await run(csv, 'articles.csv');
    expect(job).toMatchObject({ status: 'succeeded', written: true, counts: { rowsRead: 3, created: 3, updated: 0, errors: 0, skipped: 0 } });
    expect(job.columns.ignored).toEqual(['createdAt']);
    expect(job.columns.mapped).toContainEqual({ column: 'Désignation', field: 'name' });
    const [one, two, three] = await items();
    expect(one).toMatchObject({
      eid: 'ITEM-1', name: 'Marteau', sku: 'SKU-1', quantity: 1200, weight: '1.5', price: { amount: '12.50', currency: 'EUR' }, active: true,
      since: '2024-12-31', kind: 'finished', labels: ['rouge', 'lourd'], notes: 'ligne 1\nligne 2',
    });
    expect(two).toMatchObject({ eid: 'ITEM-2', quantity: null, weight: '0.01', price: { amount: '0.10', currency: 'EUR' }, active: false, since: '2025-01-02', kind: 'raw' });
    expect(three).toMatchObject({ name: 'Clé "plate"', active: true, category: null, notes: "=cmd|' /c calc'!A1" });
    const categories = (await admin.get(`/api/v1/data/category?${qs({ filter: { eid: { in: ['CAT-TOOLS', 'CAT-PARTS'] } }, sort: 'eid' })}`)).json().data;
    expect([one!.category, two!.category]).toEqual([categories[1].id, categories[0].id]);
    // une ligne d'audit par enregistrement, regroupées sous l'identifiant de requête du travail
    const audit = await tenantSql(server.platform, tenant.tenantId, sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = ${tenant.tenantId}
      AND entity = 'stock_item' AND action = 'create' AND request_id = ${`import-${job.id}`}`);
    expect(audit.rows[0]!.n).toBe(3);
    const history = (await admin.get(`/api/v1/data/stock_item/${one!.id as string}/history`)).json().data;
    expect(history[0].changes.sku).toEqual({ from: null, to: 'SKU-1' });
  });

  it('upserts by eid: known eids are updated (an empty cell clears), new ones created; create mode refuses known eids', async () => {
    const job = await run('eid,quantity,notes\nITEM-1,5,\nITEM-9,7,new one\n', 'update.csv', { mapping: JSON.stringify({ notes: 'notes' }) });
    // ITEM-9 n'a pas de nom : refusée, et en tout ou rien rien n'est écrit
    expect(job).toMatchObject({ status: 'failed', written: false, counts: { updated: 1, errors: 1 } });
    expect(await errorsOf(job.id)).toEqual([expect.objectContaining({ row: 3, field: 'name', code: 'required' })]);
    expect((await items({ eid: 'ITEM-1' }))[0]).toMatchObject({ quantity: 1200 });
    const ok = await run('eid,name,quantity,notes\nITEM-1,Marteau,5,\nITEM-9,Pince,7,new one\n', 'update.csv');
    expect(ok).toMatchObject({ status: 'succeeded', counts: { created: 1, updated: 1 } });
    expect((await items({ eid: 'ITEM-1' }))[0]).toMatchObject({ quantity: 5, notes: null, version: 2 });
    const create = await run('eid,name\nITEM-9,Again\n', 'again.csv', { mode: 'create' });
    expect(create.status).toBe('failed');
    expect((await errorsOf(create.id))[0]).toMatchObject({ row: 2, field: 'eid', code: 'duplicate' });
  });

  it('reports every bad row with its row number and field, in French, writes nothing all-or-nothing, and skips only bad rows otherwise', async () => {
    const csv = 'eid,name,quantity,kind,category,since\n'
      + 'B-1,Good one,1,raw,CAT-TOOLS,2024-01-01\n'
      + 'B-2,,abc,odd,CAT-NOPE,2024-02-30\n'
      + 'B-1,Duplicate,2,raw,,\n'
      + 'B-3,Too many,1,raw,,,extra\n'
      + 'B-4,Negative,-1,raw,,\n'
      + 'B-5,Fine,5,,,\n';
    const atomic = await run(csv, 'bad.csv', {});
    expect(atomic).toMatchObject({ status: 'failed', written: false, message: 'errors found: nothing was imported' });
    expect(await items({ eid: { like: 'B-%' } })).toEqual([]);
    // messages dans la langue de qui importe
    const french = await upload(tenant.token, 'stock_item', { wait: 'true' }, 'name,quantity\n,x\n', 'fr.csv', 'fr');
    expect((await errorsOf(french.json().id)).map((i) => i.message)).toEqual(['Ce champ est obligatoire.', 'Valeur attendue : integer.']);
    const issues = (await errorsOf(atomic.id)).map((i) => `${i.row}:${i.field}:${i.code}`);
    expect(issues).toEqual(['3:category:reference_not_found', '3:kind:invalid_enum', '3:name:required', '3:quantity:invalid_type', '3:since:invalid_type', '4:eid:duplicate_eid', '5::extra_cells', '6:quantity:too_small']);
    const skip = await run(csv, 'bad.csv', { onError: 'skip' });
    expect(skip).toMatchObject({ status: 'succeeded', written: true, counts: { rowsRead: 6, created: 2, skipped: 4 } });
    expect((await items({ eid: { like: 'B-%' } })).map((r) => r.eid)).toEqual(['B-1', 'B-5']);
    // la référence inconnue est signalée avec sa valeur
    const refs = await run('name,category\nX,CAT-NOPE\n', 'ref.csv');
    expect(await errorsOf(refs.id)).toEqual([expect.objectContaining({ row: 2, field: 'category', code: 'reference_not_found', value: 'CAT-NOPE' })]);
    // rapport CSV téléchargeable, cellules neutralisées
    const report = await admin.get(`/api/v1/imports/${atomic.id as string}/errors?format=csv`);
    expect(report.headers['content-type']).toContain('text/csv');
    const rows = parse(report.body.slice(1), { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ row: '3', field: 'category', code: 'reference_not_found', value: 'CAT-NOPE' });
  });

  it('reports database constraint failures per row (duplicate SKU) and still writes the rest of the batch', async () => {
    const job = await run('name,sku\nFirst,SKU-NEW\nClash,SKU-1\nSecond,SKU-NEW2\n', 'clash.csv', { onError: 'skip' });
    expect(job).toMatchObject({ status: 'succeeded', counts: { created: 2, skipped: 1 } });
    expect(await errorsOf(job.id)).toEqual([expect.objectContaining({ row: 3, field: 'sku', code: 'duplicate' })]);
  });

  it('runs a dry run: full report and counts, nothing written', async () => {
    const job = await run('eid,name\nDRY-1,Dry\nDRY-2,Run\n', 'dry.csv', { dryRun: 'true' });
    expect(job).toMatchObject({ status: 'succeeded', written: false, counts: { created: 2 } });
    expect(await items({ eid: { like: 'DRY-%' } })).toEqual([]);
  });

  it('refuses a file in another encoding unless told, and reads it when told', async () => {
    const latin1 = Buffer.from('eid,name\nENC-1,Café crème\n', 'latin1');
    const wrong = await run(latin1, 'latin1.csv');
    expect(wrong).toMatchObject({ status: 'failed', written: false });
    expect(wrong.message).toContain('not valid UTF-8');
    expect(await items({ eid: 'ENC-1' })).toEqual([]);
    expect((await run(latin1, 'latin1.csv', { encoding: 'windows-1252' })).status).toBe('succeeded');
    expect((await items({ eid: 'ENC-1' }))[0]!.name).toBe('Café crème');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('eid,name\nENC-2,Œuvre\n', 'utf16le')]);
    expect((await run(utf16, 'utf16.csv')).status).toBe('succeeded');
    expect((await items({ eid: 'ENC-2' }))[0]!.name).toBe('Œuvre');
  });

  it('imports JSON arrays, JSON Lines and Excel workbooks', async () => {
    const json = await run(JSON.stringify([{ eid: 'J-1', name: 'Json', quantity: 2, price: { amount: '1.20', currency: 'EUR' }, category: 'CAT-TOOLS', labels: ['a'] }, 'oops']), 'items.json');
    expect(json).toMatchObject({ status: 'failed', counts: { errors: 1 } });
    expect((await errorsOf(json.id))[0]).toMatchObject({ row: 2, code: 'not_an_object' });
    const lines = await run('{"eid":"J-1","name":"Json","quantity":2,"category":"CAT-TOOLS"}\n{"eid":"J-2","name":"Lines","active":false}\n', 'items.jsonl');
    expect(lines).toMatchObject({ status: 'succeeded', counts: { created: 2 } });
    expect((await items({ eid: 'J-2' }))[0]).toMatchObject({ active: false });
    const broken = await run('[{"eid":"J-3","name":"x"}, {"eid":', 'broken.json');
    expect(broken).toMatchObject({ status: 'failed', written: false });
    expect((await errorsOf(broken.id))[0]).toMatchObject({ code: 'invalid_json' });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Articles');
    sheet.addRow(['eid', 'Name', 'Quantity', 'Since', 'Price', 'Active']);
    sheet.addRow(['X-1', 'Excel', 4, new Date(Date.UTC(2024, 5, 30)), '9.99 EUR', true]);
    sheet.addRow(['X-2', { richText: [{ text: 'Rich ' }, { text: 'text' }] }, { formula: '2*3', result: 6 }, null, null, false]);
    const xlsx = await run(Buffer.from(await workbook.xlsx.writeBuffer()), 'items.xlsx');
    expect(xlsx).toMatchObject({ status: 'succeeded', counts: { created: 2 } });
    expect(await items({ eid: { like: 'X-%' } })).toMatchObject([
      { eid: 'X-1', name: 'Excel', quantity: 4, since: '2024-06-30', price: { amount: '9.99', currency: 'EUR' }, active: true },
      { eid: 'X-2', name: 'Rich text', quantity: 6, active: false },
    ]);
    const notExcel = await run('not a workbook', 'fake.xlsx');
    expect(notExcel.status).toBe('failed');
  });

  it('imports into an entity with inheritance and hooks through the record service (customers)', async () => {
    const job = await run('eid;name;paymentTermDays\nC-1;Acme;30\nC-2;Globex;abc\n', 'customers.csv', { onError: 'skip' }, 'customer');
    expect(job).toMatchObject({ status: 'succeeded', counts: { created: 1, skipped: 1 } });
    const customers = (await admin.get(`/api/v1/data/customer?${qs({ filter: { eid: { in: ['C-1', 'C-2'] } } })}`)).json().data;
    expect(customers).toMatchObject([{ eid: 'C-1', name: 'Acme', paymentTermDays: 30 }]);
  });

  it('uses saved templates and explicit mappings; a mapping to an unknown field is refused', async () => {
    expect((await admin.post('/api/v1/data/import_template', {
      name: 'supplier sheet', entity: 'stock_item', mapping: { Article: 'name', Code: 'eid', Ignored: null }, onError: 'skip', dateOrder: 'mdy',
    })).statusCode).toBe(201);
    const job = await run('Article,Code,Ignored,since\nMapped,T-1,zzz,12/31/2024\n', 'supplier.csv', { template: 'supplier sheet' });
    expect(job).toMatchObject({ status: 'succeeded', options: { onError: 'skip', dateOrder: 'mdy' }, columns: { ignored: ['Ignored'] } });
    expect((await items({ eid: 'T-1' }))[0]).toMatchObject({ name: 'Mapped', since: '2024-12-31' });
    const bad = await run('A\nx\n', 'a.csv', { mapping: JSON.stringify({ A: 'nope' }) });
    expect(bad).toMatchObject({ status: 'failed' });
    expect(bad.message).toContain('"nope" is not an importable field');
    const params = await upload(tenant.token, 'stock_item', { mode: 'merge', mapping: '[1]', bogus: '1' }, 'a\n', 'a.csv');
    expect(params.statusCode).toBe(400);
    expect(params.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['bogus', 'mapping', 'mode']);
    const unknownTemplate = await upload(tenant.token, 'stock_item', { template: 'nope' }, 'a\n', 'a.csv');
    expect(unknownTemplate.statusCode).toBe(400);
  });

  it('needs the import right; jobs of others stay private; oversized files are refused', async () => {
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.member('reader', [await kit.role('Reader', ['stock_item:read', 'stock_item:create'])]);
    expect((await upload(reader.token, 'stock_item', {}, 'name\nx\n', 'x.csv')).statusCode).toBe(403);
    const importer = await kit.member('importer', [await kit.role('Importer', ['stock_item:read', 'stock_item:create', 'stock_item:import'])]);
    // upsert demande aussi le droit de mise à jour
    expect((await upload(importer.token, 'stock_item', {}, 'name\nx\n', 'x.csv')).statusCode).toBe(403);
    const mine = await upload(importer.token, 'stock_item', { mode: 'create', wait: 'true' }, 'name\nBy importer\n', 'x.csv');
    expect(mine.statusCode, mine.body).toBe(200);
    const other = await kit.member('other', [await kit.role('Other importer', ['stock_item:read', 'stock_item:create', 'stock_item:import'])]);
    expect((await other.api.get(`/api/v1/imports/${mine.json().id as string}`)).statusCode).toBe(404);
    expect((await other.api.get('/api/v1/imports')).json().data).toEqual([]);
    expect((await admin.get('/api/v1/imports')).json().data.some((j: { id: string }) => j.id === mine.json().id)).toBe(true);
    expect((await admin.get('/api/v1/imports/not-a-uuid')).statusCode).toBe(404);
    expect((await admin.put('/api/v1/settings/import.maxMegabytes', { value: 1 })).statusCode).toBe(200);
    const big = await upload(tenant.token, 'stock_item', {}, Buffer.alloc(1_200_000, 'a'), 'big.csv');
    expect(big.statusCode).toBe(413);
    expect((await admin.put('/api/v1/settings/import.maxMegabytes', { value: 1024 })).statusCode).toBe(200);
  });

  it('streams progress as server-sent events and can be cancelled between batches when bad rows are skipped', async () => {
    expect((await admin.put('/api/v1/settings/import.batchSize', { value: 10 })).statusCode).toBe(200);
    const rows = Array.from({ length: 3000 }, (_, i) => `CANCEL-${i},Item ${i}`).join('\n');
    // lignes invalides sautées : chaque lot est validé à part, l'annulation arrête entre deux lots
    const started = await upload(tenant.token, 'stock_item', { onError: 'skip' }, `eid,name\n${rows}\n`, 'many.csv');
    expect(started.statusCode).toBe(202);
    const id = started.json().id as string;
    expect(started.headers.location).toBe(`/api/v1/imports/${id}`);
    expect((await admin.post(`/api/v1/imports/${id}/cancel`)).statusCode).toBe(200);
    const events = await admin.get(`/api/v1/imports/${id}/events`);
    expect(events.headers['content-type']).toContain('text/event-stream');
    const last = events.body.trim().split('\n\n').at(-1)!;
    expect(last.startsWith('event: end\ndata: ')).toBe(true);
    const final = JSON.parse(last.slice('event: end\ndata: '.length));
    expect(final).toMatchObject({ status: 'cancelled', message: 'cancelled by the user' });
    expect(final.counts.created).toBeLessThan(3000);
    expect(await items({ eid: { like: 'CANCEL-%' } })).toHaveLength(final.counts.created);
    expect(final.written).toBe(final.counts.created > 0);

    const progress = await upload(tenant.token, 'stock_item', {}, `eid,name\n${rows.replaceAll('CANCEL', 'SSE')}\n`, 'many.csv');
    const stream = (await admin.get(`/api/v1/imports/${progress.json().id as string}/events`)).body.trim().split('\n\n');
    expect(stream.length).toBeGreaterThan(1);
    expect(stream[0]).toMatch(/^event: progress\n/);
    expect(JSON.parse(stream.at(-1)!.split('data: ')[1]!)).toMatchObject({ status: 'succeeded', counts: { created: 3000 }, progress: { percent: 100 } });
    expect((await admin.put('/api/v1/settings/import.batchSize', { value: 5000 })).statusCode).toBe(200);
  });

  // PGlite n'a qu'une connexion : la demande d'annulation attend la fin d'un import tout ou rien ; sur le serveur, non
  it.runIf(onServer)('cancels an all-or-nothing import midway on the server: nothing is written', async () => {
    expect((await admin.put('/api/v1/settings/import.batchSize', { value: 10 })).statusCode).toBe(200);
    const rows = Array.from({ length: 3000 }, (_, i) => `ATOMIC-${i},Item ${i}`).join('\n');
    const started = await upload(tenant.token, 'stock_item', {}, `eid,name\n${rows}\n`, 'atomic.csv');
    const id = started.json().id as string;
    // l'import a commencé à lire (son premier lot est compté) avant la demande d'annulation
    await expect.poll(async () => (await admin.get(`/api/v1/imports/${id}`)).json().counts.rowsRead, BACKGROUND).toBeGreaterThan(0);
    expect((await admin.post(`/api/v1/imports/${id}/cancel`)).statusCode).toBe(200);
    const final = JSON.parse((await admin.get(`/api/v1/imports/${id}/events`)).body.trim().split('\n\n').at(-1)!.split('data: ')[1]!);
    expect(final).toMatchObject({ status: 'cancelled', written: false });
    expect(final.counts.rowsRead).toBeGreaterThan(0);
    expect(await items({ eid: { like: 'ATOMIC-%' } })).toEqual([]);
    expect((await admin.put('/api/v1/settings/import.batchSize', { value: 5000 })).statusCode).toBe(200);
  });
});
