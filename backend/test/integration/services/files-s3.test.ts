// Stockage des fichiers dans un service compatible S3 (pair de test sur la boucle locale, signatures V4 vérifiées) :
// choisi par les réglages d'un tenant, contenus sous `<tenant>/<ab>/<sha256>`, une seule copie par contenu,
// téléchargement partiel, vignettes produites une fois ; service mal configuré ou qui refuse : erreur claire.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startTestS3, type TestS3 } from '../../support/s3.js';

let server: TestServer;
let s3: TestS3;
let tenant: TestTenant;
let admin: Client;
let customer: string;

function upload(content: Buffer, filename: string) {
  const { payload, contentType } = multipart(content, filename);
  return server.app.inject({ method: 'POST', url: `/api/v1/files?entity=customer&recordId=${customer}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${tenant.token}` } });
}

async function configure(settings: Record<string, unknown>) {
  for (const [key, value] of Object.entries(settings)) {
    const res = await admin.put(`/api/v1/settings/${key}`, { value, level: 'tenant' });
    expect(res.statusCode, res.body).toBe(200);
  }
}

beforeAll(async () => {
  s3 = await startTestS3();
  // le pair S3 est sur la boucle locale : permis explicitement (politique des connexions sortantes)
  server = await startServer({ outboundAllowList: () => [new URL(s3.endpoint).host] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  customer = (await admin.post('/api/v1/data/customer', { name: 'S3 & Co' })).json().id;
  await configure({
    'files.storage': 's3', 'files.s3.endpoint': s3.endpoint, 'files.s3.bucket': s3.bucket, 'files.s3.region': 'eu-west-3',
    'files.s3.accessKeyId': s3.accessKeyId, 'files.s3.secretAccessKey': s3.secretAccessKey,
  });
});
afterAll(async () => {
  await server.close();
  await s3.close();
});

describe('files on S3-compatible storage', () => {
  it('stores each content once under the tenant and its hash, and serves it whole or in part', async () => {
    const content = Buffer.from('%PDF-1.4\n'.concat('x'.repeat(5000)));
    const first = await upload(content, 'contract.pdf');
    expect(first.statusCode, first.body).toBe(201);
    const sha = first.json().sha256 as string;
    expect([...s3.objects.keys()]).toEqual([`${tenant.tenantId}/${sha.slice(0, 2)}/${sha}`]);
    expect(s3.objects.get(`${tenant.tenantId}/${sha.slice(0, 2)}/${sha}`)).toEqual(content);
    expect((await upload(content, 'copy.pdf')).statusCode).toBe(201);
    expect(s3.log.filter((l) => l.startsWith('PUT'))).toHaveLength(1);
    const whole = await admin.get(`/api/v1/files/${first.json().id as string}`);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload).toEqual(content);
    const part = await admin.get(`/api/v1/files/${first.json().id as string}`, { range: 'bytes=0-7' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-7/${content.length}`);
    expect(part.body).toBe('%PDF-1.4');
  });

  it('makes thumbnails from the stored image and keeps them in the bucket', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const image = (await upload(png, 'logo.png')).json();
    const thumb = await admin.get(`/api/v1/files/${image.id as string}/thumbnail?size=64`);
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(64);
    expect(s3.objects.has(`${tenant.tenantId}/${(image.sha256 as string).slice(0, 2)}/${image.sha256 as string}.thumb64.webp`)).toBe(true);
    const puts = s3.log.filter((l) => l.startsWith('PUT')).length;
    expect((await admin.get(`/api/v1/files/${image.id as string}/thumbnail?size=64`)).statusCode).toBe(200);
    expect(s3.log.filter((l) => l.startsWith('PUT')).length).toBe(puts);
  });

  it('answers 502 when the service refuses (wrong secret), 503 when it is not configured, and keeps nothing', async () => {
    await configure({ 'files.s3.secretAccessKey': 'wrong-secret' });
    const refused = await upload(Buffer.from('hello world, refused'), 'a.txt');
    expect(refused.statusCode).toBe(502);
    expect(refused.json()).toMatchObject({ code: 'storage_unavailable' });
    expect((await admin.get(`/api/v1/files?entity=customer&recordId=${customer}`)).json().data.some((f: { name: string }) => f.name === 'a.txt')).toBe(false);
    await configure({ 'files.s3.secretAccessKey': s3.secretAccessKey, 'files.s3.bucket': '' });
    expect((await upload(Buffer.from('hello'), 'b.txt')).statusCode).toBe(503);
    await configure({ 'files.s3.bucket': s3.bucket });
    expect((await upload(Buffer.from('hello again'), 'c.txt')).statusCode).toBe(201);
  });
});
