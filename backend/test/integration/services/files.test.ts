// FileManager : envoi en flux, type déterminé par le contenu, nom nettoyé, versions, dédoublonnage, quota et taille
// maximale, antivirus, droits de l'enregistrement, téléchargement partiel.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';

// PNG de 1×1 pixel
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let customer: string;
let dir: string;

function upload(token: string, query: string, content: Buffer, filename: string, type = 'application/octet-stream') {
  const { payload, contentType } = multipart(content, filename, type);
  return server.app.inject({ method: 'POST', url: `/api/v1/files?${query}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsflux-files-test-'));
  server = await startServer({
    filesDir: dir,
    fileScanner: { scan: async (path) => ((await import('node:fs/promises')).readFile(path, 'utf8').then((t) => (t.includes('EICAR') ? { clean: false, reason: 'EICAR test signature' } : { clean: true }))) },
  });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  customer = (await admin.post('/api/v1/data/customer', { name: 'Files & Co' })).json().id;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('files', () => {
  it('stores an attachment with the type of its content and a cleaned name, in versions, once per content', async () => {
    const first = await upload(tenant.token, `entity=customer&recordId=${customer}`, PNG, '../../etc/logo.png', 'text/html');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ entity: 'customer', recordId: customer, name: 'logo.png', mime: 'image/png', size: PNG.length, fileVersion: 1 });
    const second = await upload(tenant.token, `entity=customer&recordId=${customer}`, PNG, 'logo.png');
    expect(second.json().fileVersion).toBe(2);
    const blobs = await tenantSql(server.platform, tenant.tenantId, sql`SELECT 1 FROM file_blob WHERE tenant_id = ${tenant.tenantId}`);
    expect(blobs.rows).toHaveLength(1);
    const text = await upload(tenant.token, `entity=customer&recordId=${customer}`, Buffer.from('<script>alert(1)</script>'), 'page.html', 'text/html');
    expect(text.json().mime).toBe('text/plain');
    const list = (await admin.get(`/api/v1/files?entity=customer&recordId=${customer}`)).json().data;
    expect(list.map((a: { name: string; fileVersion: number }) => `${a.name}#${a.fileVersion}`)).toEqual(['logo.png#2', 'logo.png#1', 'page.html#1']);
  });

  it('downloads the whole file or a range, as an attachment that browsers do not sniff', async () => {
    const id = (await admin.get(`/api/v1/files?entity=customer&recordId=${customer}`)).json().data[0].id;
    const whole = await admin.get(`/api/v1/files/${id}`);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(PNG)).toBe(true);
    expect(whole.headers).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff', 'accept-ranges': 'bytes' });
    expect(whole.headers['content-disposition']).toBe("attachment; filename*=UTF-8''logo.png");
    const part = await admin.get(`/api/v1/files/${id}`, { range: 'bytes=1-3' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1-3/${PNG.length}`);
    expect(part.rawPayload.toString('latin1')).toBe('PNG');
    const tail = await admin.get(`/api/v1/files/${id}`, { range: 'bytes=-4' });
    expect(tail.rawPayload.equals(PNG.subarray(-4))).toBe(true);
    const beyond = await admin.get(`/api/v1/files/${id}`, { range: `bytes=${PNG.length + 10}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${PNG.length}`);
  });

  it('makes thumbnails of images, once per size, and refuses them for other files', async () => {
    const picture = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    const photo = (await upload(tenant.token, `entity=customer&recordId=${customer}`, picture, 'photo.jpg')).json();
    expect(photo.mime).toBe('image/jpeg');
    const thumb = await admin.get(`/api/v1/files/${photo.id}/thumbnail?size=256`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(await sharp(thumb.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 256, height: 128 });
    expect((await admin.get(`/api/v1/files/${photo.id}/thumbnail?size=256`)).rawPayload.equals(thumb.rawPayload)).toBe(true);
    expect((await admin.get(`/api/v1/files/${photo.id}/thumbnail?size=300`)).statusCode).toBe(400);
    const text = (await admin.get(`/api/v1/files?entity=customer&recordId=${customer}`)).json().data.find((a: { name: string }) => a.name === 'page.html');
    expect((await admin.get(`/api/v1/files/${text.id}/thumbnail`)).statusCode).toBe(415);
  });

  it('follows the permissions of the record', async () => {
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.member('file-reader', [await kit.role('customer-viewer', ['customer:read'])]);
    const stranger = await kit.member('file-stranger', [await kit.role('no-customers', ['supplier:read'])]);
    const id = (await admin.get(`/api/v1/files?entity=customer&recordId=${customer}`)).json().data[0].id;
    expect((await reader.api.get(`/api/v1/files/${id}`)).statusCode).toBe(200);
    expect((await upload(reader.token, `entity=customer&recordId=${customer}`, PNG, 'x.png')).statusCode).toBe(403);
    expect((await stranger.api.get(`/api/v1/files/${id}`)).statusCode).toBe(404);
    expect((await stranger.api.get(`/api/v1/files?entity=customer&recordId=${customer}`)).statusCode).toBe(403);
    const other = await newTenant(server);
    expect((await client(server, other.token).get(`/api/v1/files/${id}`)).statusCode).toBe(404);
    expect((await upload(tenant.token, `entity=customer&recordId=${other.userId}`, PNG, 'x.png')).statusCode).toBe(404);
  });

  it('refuses files over the size limit or the quota, rejected by the scanner, and malformed requests', async () => {
    const target = `entity=customer&recordId=${customer}`;
    expect((await admin.put('/api/v1/settings/files.maxMegabytes', { value: 1 })).statusCode).toBe(200);
    const big = await upload(tenant.token, target, randomBytes(1_200_000), 'big.bin');
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    expect((await admin.put('/api/v1/settings/files.quotaMegabytes', { value: 1 })).statusCode).toBe(200);
    expect((await upload(tenant.token, target, randomBytes(700_000), 'a.bin')).statusCode).toBe(201);
    const over = await upload(tenant.token, target, randomBytes(700_000), 'b.bin');
    expect(over.json()).toMatchObject({ status: 413, code: 'quota_exceeded' });
    const virus = await upload(tenant.token, target, Buffer.from(EICAR), 'eicar.com');
    expect(virus.json()).toMatchObject({ status: 422, code: 'file_rejected', detail: expect.stringContaining('EICAR') });
    const names = (await admin.get(`/api/v1/files?${target}`)).json().data.map((a: { name: string }) => a.name);
    expect(names).not.toContain('big.bin');
    expect(names).not.toContain('b.bin');
    expect(names).not.toContain('eicar.com');
    expect((await admin.post('/api/v1/files?entity=customer', {})).statusCode).toBe(400);
    expect((await admin.post(`/api/v1/files?${target}`, { not: 'multipart' })).statusCode).toBe(415);
    expect((await admin.get('/api/v1/files/not-a-uuid')).statusCode).toBe(404);
  });
});
