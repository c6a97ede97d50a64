// Liens courts : création (code généré ou choisi, unique sur la plateforme), redirection publique et comptage,
// mot de passe, échéance, suppression, pas de redirection ouverte (http/https seulement, domaines permis), QR code,
// statistiques, droits et cloisonnement des tenants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
const visit = (code: string, headers: Record<string, string> = {}) => server.app.inject({ url: `/s/${code}`, headers });

beforeAll(async () => {
  server = await startServer({ publicUrl: 'https://go.example.test' });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => server?.close());

describe('short links', () => {
  it('generates a code, redirects publicly and counts the clicks with their origin', async () => {
    const created = await admin.post('/api/v1/data/short_link', { target: 'https://www.example.com/offer?id=42', title: 'Offer' });
    expect(created.statusCode, created.body).toBe(201);
    const link = created.json();
    expect(link.code).toMatch(/^[a-zA-Z2-9]{7}$/);
    expect(link).toMatchObject({ protected: false, clicks: 0 });
    expect(link).not.toHaveProperty('passwordHash');
    const first = await visit(link.code, { referer: 'https://news.example.org/article/7?utm=x' });
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('https://www.example.com/offer?id=42');
    expect(first.headers['cache-control']).toBe('no-store');
    await visit(link.code);
    const after = (await admin.get(`/api/v1/data/short_link/${link.id}`)).json();
    expect(after).toMatchObject({ clicks: 2, version: link.version });
    expect(after.lastClickAt).toBeTruthy();
    const stats = (await admin.get(`/api/v1/short-links/${link.id}/stats`)).json();
    expect(stats.clicks).toBe(2);
    expect(stats.byDay).toEqual([{ day: new Date().toISOString().slice(0, 10), clicks: 2 }]);
    expect(stats.referrers).toEqual(expect.arrayContaining([{ referrer: 'news.example.org', clicks: 1 }, { referrer: null, clicks: 1 }]));
  });

  it('takes a custom code once on the whole platform, and never changes it', async () => {
    const link = (await admin.post('/api/v1/data/short_link', { code: 'spring-sale', target: 'https://shop.example.com/' })).json();
    expect((await visit('spring-sale')).headers.location).toBe('https://shop.example.com/');
    const other = await newTenant(server);
    const taken = await client(server, other.token).post('/api/v1/data/short_link', { code: 'Spring-Sale', target: 'https://evil.example.net/' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors[0]).toMatchObject({ field: 'code', code: 'code_taken' });
    expect((await admin.patch(`/api/v1/data/short_link/${link.id}`, { code: 'autumn' })).statusCode).toBe(400);
    expect((await admin.post('/api/v1/data/short_link', { code: 'a b', target: 'https://x.example.com' })).statusCode).toBe(400);
  });

  it('refuses open redirects: only http(s), no credentials, and only allowed domains when the tenant sets them', async () => {
    for (const target of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://files.example.com/', '//evil.example.net', 'https://user:pass@example.com/']) {
      const res = await admin.post('/api/v1/data/short_link', { target });
      expect(res.statusCode, target).toBe(400);
    }
    expect((await admin.put('/api/v1/settings/shortener.allowedDomains', { value: ['example.com'] })).statusCode).toBe(200);
    const refused = await admin.post('/api/v1/data/short_link', { target: 'https://example.com.evil.net/' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'target', code: 'target_not_allowed' });
    expect((await admin.post('/api/v1/data/short_link', { target: 'https://docs.example.com/a' })).statusCode).toBe(201);
    expect((await admin.delete('/api/v1/settings/shortener.allowedDomains')).statusCode).toBe(204);
  });

  it('asks for the password of a protected link, refuses a wrong one, and keeps only a hash', async () => {
    const link = (await admin.post('/api/v1/data/short_link', { target: 'https://intranet.example.com/report', password: 'opensesame' })).json();
    expect(link).toMatchObject({ protected: true });
    expect(link).not.toHaveProperty('password');
    const form = await visit(link.code, { 'accept-language': 'fr' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Ce lien est protégé par un mot de passe.');
    expect(form.headers['content-security-policy']).toContain("default-src 'none'");
    const wrong = await server.app.inject({ method: 'POST', url: `/s/${link.code}`, payload: 'password=guess', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrong.statusCode).toBe(401);
    const right = await server.app.inject({ method: 'POST', url: `/s/${link.code}`, payload: 'password=opensesame', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(right.statusCode).toBe(302);
    expect(right.headers.location).toBe('https://intranet.example.com/report');
    // le mot de passe retiré, le lien redevient direct
    expect((await admin.patch(`/api/v1/data/short_link/${link.id}`, { password: null })).json().protected).toBe(false);
    expect((await visit(link.code)).statusCode).toBe(302);
  });

  it('answers 410 once expired, 404 once deleted or unknown, and never reassigns a deleted code', async () => {
    const expired = (await admin.post('/api/v1/data/short_link', { target: 'https://old.example.com/', expiresAt: '2020-01-01T00:00:00Z' })).json();
    expect((await visit(expired.code)).statusCode).toBe(410);
    const gone = (await admin.post('/api/v1/data/short_link', { code: 'deleted-one', target: 'https://a.example.com/' })).json();
    expect((await admin.delete(`/api/v1/data/short_link/${gone.id}`)).statusCode).toBe(204);
    expect((await visit('deleted-one')).statusCode).toBe(404);
    expect((await admin.post('/api/v1/data/short_link', { code: 'deleted-one', target: 'https://b.example.com/' })).statusCode).toBe(409);
    expect((await visit('no-such-code')).statusCode).toBe(404);
    expect((await visit('%3Cscript%3E')).statusCode).toBe(404);
  });

  it('draws the QR code of the public address, for those who may read the link only', async () => {
    const link = (await admin.post('/api/v1/data/short_link', { code: 'qr-demo', target: 'https://qr.example.com/' })).json();
    const svg = await admin.get(`/api/v1/short-links/${link.id}/qr`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toContain('<svg');
    const png = await admin.get(`/api/v1/short-links/${link.id}/qr?${qs({ format: 'png', size: '128' })}`);
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await admin.get(`/api/v1/short-links/${link.id}/qr?format=gif`)).statusCode).toBe(400);
    const stranger = await newTenant(server);
    expect((await client(server, stranger.token).get(`/api/v1/short-links/${link.id}/qr`)).statusCode).toBe(404);
    const user = await memberKit(server, tenant, admin).member('no-links');
    expect((await user.api.get(`/api/v1/short-links/${link.id}/stats`)).statusCode).toBe(403);
  });
});
