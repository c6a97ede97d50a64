// Lecture de documents par l'API : factures générées avec des valeurs connues (français et anglais, trois mises en
// page, une tournée, une bruitée), rendues en PNG et en PDF (avec et sans couche texte), jointes à un fournisseur,
// lues par le travail (OCR local) puis relues : exactitude par champ mesurée et affirmée ; rapprochement du
// fournisseur, confirmation par l'API des enregistrements, refus (fichier corrompu, bombe PDF, type, droits) et
// outil `read_document` par MCP.
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../../src/ai/local/documents/errors.js';
import { DEFAULT_DOCUMENT_LIMITS } from '../../../../src/ai/local/documents/limits.js';
import { stopOcr } from '../../../../src/ai/local/documents/ocr-engine.js';
import { readDocument } from '../../../../src/ai/local/documents/read-document.js';
import { AccuracyReport } from '../../../support/invoice-accuracy.js';
import { renderPdf, renderPng, sampleInvoices } from '../../../support/invoices.js';
import { startAiPeers, type AiPeers } from '../../../support/ai-peers.js';
import { mcpAs } from '../../../support/mcp-call.js';
import { memberKit } from '../../../support/members.js';
import { multipart } from '../../../support/multipart.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let dubois: string;
let northwind: string;
let peers: AiPeers;

beforeAll(async () => {
  peers = await startAiPeers();
  server = await startServer({ outboundAllowList: () => ['127.0.0.1'] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  dubois = (await admin.post('/api/v1/data/supplier', { name: 'Imprimerie Dubois', taxId: 'FR40303265045' })).json().id;
  northwind = (await admin.post('/api/v1/data/supplier', { name: 'Northwind Supplies', supplierCode: 'NW' })).json().id;
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
  await stopOcr();
});

async function attach(api: Client, recordId: string, content: Buffer, name: string): Promise<string> {
  const upload = multipart(content, name);
  const res = await api.post(`/api/v1/files?${qs({ entity: 'supplier', recordId })}`, upload.payload, { 'content-type': upload.contentType });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function settled(api: Client, id: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const body = (await api.get(`/api/v1/ai/documents/${id}`)).json();
    if (!['pending', 'processing'].includes(body.status)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('extraction did not finish');
}

async function extract(api: Client, fileId: string): Promise<any> {
  const res = await api.post('/api/v1/ai/documents', { fileId });
  expect(res.statusCode, res.body).toBe(202);
  return settled(api, res.json().id);
}

describe('POST /api/v1/ai/documents', () => {
  const results = new Map<string, any>();

  it('reads generated invoices (PNG, PDF with and without text layer) with a measured field accuracy', async () => {
    const report = new AccuracyReport();
    const ocr = new AccuracyReport();
    let ocrPages = 0;
    let ocrMs = 0;
    for (const [i, spec] of sampleInvoices().entries()) {
      const variants: Array<['png' | 'pdf-text' | 'pdf-scan', Buffer]> = [['png', renderPng(spec)], ['pdf-text', await renderPdf(spec, 'text')]];
      // page scannée dans un PDF : pour deux factures (le temps d'OCR compte sur deux cœurs)
      if (i < 2) variants.push(['pdf-scan', await renderPdf(spec, 'scan')]);
      for (const [kind, bytes] of variants) {
        const label = `${spec.lang}/${spec.layout}${spec.rotate ? '/rotated' : ''}${spec.noise ? '/noisy' : ''}/${kind}`;
        const fileId = await attach(admin, i % 2 ? northwind : dubois, bytes, `invoice-${i}.${kind === 'png' ? 'png' : 'pdf'}`);
        const body = await extract(admin, fileId);
        expect(body.status, body.error).toBe('draft');
        expect(body.pages).toBe(1);
        expect(body.engine).toMatch(kind === 'pdf-text' ? /^pdf-text$/ : /^tesseract\.js/);
        report.add(label, body.fields, spec.truth);
        if (kind !== 'pdf-text') {
          ocr.add(label, body.fields, spec.truth);
          ocrPages++;
          ocrMs += body.durationMs;
        }
        results.set(`${i}/${kind}`, body);
      }
    }
    console.log(`[quality] documents: invoice field accuracy ${report.overall().toFixed(3)} over ${report.perField.get('number')!.total} documents × 11 fields`
      + ` (OCR pages only ${ocr.overall().toFixed(3)}, ${ocrPages} pages, ${(ocrMs / ocrPages / 1000).toFixed(1)} s/page)`);
    console.log(`[quality] documents per field: ${report.summary()}`);
    if (report.misses.length) console.log(`[quality] documents misses: ${report.misses.join('; ')}`);
    expect(report.overall()).toBeGreaterThanOrEqual(0.93);
    expect(ocr.overall()).toBeGreaterThanOrEqual(0.9);
    // PDF avec couche texte : lu sans OCR, exact
    for (const [key, body] of results) if (key.endsWith('pdf-text')) expect(body.confidence).toBe(1);
  }, 300_000);

  it('gives every field a confidence and matches existing suppliers by VAT number or by name', async () => {
    const french = results.get('0/png');
    expect(french.language).toBe('fr');
    expect(french.fields.iban).toEqual({ value: 'FR7630006000011234567890189', confidence: 0.99 });
    expect(french.fields.gross).toEqual({ value: '1500.00', confidence: 0.97 });
    expect(french.supplierMatch).toMatchObject({ id: dubois, by: 'vatNumber', confidence: 0.98 });
    const english = results.get('1/pdf-text');
    expect(english.language).toBe('en');
    expect(english.supplierMatch).toMatchObject({ id: northwind, by: 'name' });
    for (const f of Object.values(english.fields) as Array<{ confidence: number }>) expect(f.confidence).toBeGreaterThan(0);
  });

  it('is reviewed, edited and confirmed through the records API (audited)', async () => {
    const draft = results.get('0/pdf-text');
    const fields = { ...draft.fields, number: { value: 'FA-2026-0142-B', confidence: 1 } };
    const res = await admin.patch(`/api/v1/data/document_extraction/${draft.id}`, { status: 'confirmed', supplier: dubois, fields });
    expect(res.statusCode, res.body).toBe(200);
    const confirmed = (await admin.get(`/api/v1/ai/documents/${draft.id}`)).json();
    expect(confirmed).toMatchObject({ status: 'confirmed', supplier: dubois, supplierMatch: null });
    expect(confirmed.fields.number.value).toBe('FA-2026-0142-B');
    const history = (await admin.get(`/api/v1/data/document_extraction/${draft.id}/history`)).json().data;
    expect(history.length).toBeGreaterThanOrEqual(2);
    // les champs écrits par la lecture restent en lecture seule pour l'API
    expect((await admin.patch(`/api/v1/data/document_extraction/${draft.id}`, { text: 'forged' })).statusCode).toBe(400);
  });

  it('refuses corrupt files, PDF bombs, unsupported types and files the caller cannot read', async () => {
    const png = renderPng(sampleInvoices()[4]!);
    const cases: Array<[string, Buffer, string]> = [
      ['truncated.png', png.subarray(0, Math.floor(png.length / 2)), 'document_unreadable'],
      ['garbage.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 7)]), 'document_unreadable'],
      ['notes.txt', Buffer.from('just text\n'), 'document_unsupported_type'],
    ];
    const many = await PDFDocument.create();
    for (let i = 0; i < DEFAULT_DOCUMENT_LIMITS.maxPages + 1; i++) many.addPage([100, 100]);
    cases.push(['many-pages.pdf', Buffer.from(await many.save()), 'document_too_many_pages']);
    const huge = await PDFDocument.create();
    huge.addPage([14_400, 14_400]);
    cases.push(['huge-page.pdf', Buffer.from(await huge.save()), 'document_page_too_large']);
    for (const [name, bytes, code] of cases) {
      const fileId = await attach(admin, dubois, bytes, name);
      const res = await admin.post('/api/v1/ai/documents', { fileId }, { 'accept-language': 'fr' });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(422);
      expect(res.json().code, name).toBe(code);
    }
    // trop gros pour le réglage du tenant
    expect((await admin.put('/api/v1/settings/ai.local.documents.maxBytes', { value: 1024 })).statusCode).toBeLessThan(300);
    const big = await attach(admin, dubois, png, 'big.png');
    const tooBig = await admin.post('/api/v1/ai/documents', { fileId: big });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json().code).toBe('document_too_large');
    await admin.delete('/api/v1/settings/ai.local.documents.maxBytes');
    // un utilisateur qui ne lit pas les fournisseurs ne voit pas leurs pièces jointes
    const kit = memberKit(server, tenant, admin);
    const outsider = await kit.member('doc-outsider', [await kit.role('doc nothing', ['document_extraction:create', 'document_extraction:read'])]);
    expect((await outsider.api.post('/api/v1/ai/documents', { fileId: big })).statusCode).toBe(404);
    expect((await admin.post('/api/v1/ai/documents', { fileId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('stops a reading that exceeds the time limit', async () => {
    const error = await readDocument(renderPng(sampleInvoices()[0]!), { ...DEFAULT_DOCUMENT_LIMITS, timeoutMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).code).toBe('document_timeout');
  });
});

describe('assistant tool read_document', () => {
  it('reads an attachment the user can read, over MCP', async () => {
    const fileId = await attach(admin, northwind, await renderPdf(sampleInvoices()[1]!, 'text'), 'northwind.pdf');
    const mcp = await mcpAs(server, admin);
    try {
      expect(await mcp.tools()).toContain('read_document');
      const result = await mcp.call('read_document', { fileId });
      expect(result.isError, result.text).toBe(false);
      const body = result.json() as any;
      expect(body.fields.number.value).toBe('INV-88231');
      expect(body.fields.gross.value).toBe('5784.60');
      expect(body.supplierMatch).toMatchObject({ id: northwind });
      const missing = await mcp.call('read_document', { fileId: '00000000-0000-4000-8000-000000000000' });
      expect(missing.isError).toBe(true);
    } finally {
      await mcp.close();
    }
  });
});

describe('provider upgrade', () => {
  it('sends a page read poorly by the local OCR to the provider routed for ocr, and only then', async () => {
    const other = await newTenant(server);
    const api = client(server, other.token);
    for (const [key, value] of Object.entries({
      'ai.providers': [{ name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt') }],
      'ai.providerKeys': { gpt: 'sk-peer' },
      'ai.retries': 0,
    })) expect((await api.put(`/api/v1/settings/${key}`, { value, level: 'tenant' })).statusCode).toBe(200);
    const acme = (await api.post('/api/v1/data/supplier', { name: 'Acme Tools' })).json().id;
    // une « photo » illisible : du bruit seul, que Tesseract lit à peine
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 70 } } }).png().toBuffer();
    const fileId = await attach(api, acme, photo, 'photo.png');
    peers.requests.length = 0;
    peers.answer('gpt', ['Acme Tools GmbH\nINVOICE\nInvoice No. RE-55012\nInvoice date: May 21, 2026\n', 'Subtotal €780.00\nVAT 19 % €148.20\nTotal due €928.20\n']);
    // sans routage explicite de `ocr`, rien ne sort
    const local = await extract(api, fileId);
    expect(local.status).toBe('draft');
    expect(local.engine).not.toContain('gpt');
    expect(peers.requests).toHaveLength(0);
    expect((await api.put('/api/v1/settings/ai.routing', { value: { ocr: ['gpt'] }, level: 'tenant' })).statusCode).toBe(200);
    const upgraded = await extract(api, fileId);
    expect(upgraded.engine).toMatch(/^tesseract\.js .* \+ gpt$/);
    expect(upgraded.fields.number.value).toBe('RE-55012');
    expect(upgraded.fields.gross.value).toBe('928.20');
    expect(peers.requests).toHaveLength(1);
    expect(JSON.stringify(peers.requests[0]!.body.messages)).toContain('data:image/png;base64,');
  }, 120_000);
});
