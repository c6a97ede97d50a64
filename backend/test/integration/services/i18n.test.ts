// TranslationService : catalogues par langue (métadonnées, messages, modules actifs, traductions du tenant), ETag,
// clés manquantes, import et export JSON, CSV et XLIFF, clés et textes hostiles.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let anonymous: Client;

const texts = async (locale: string) => (await anonymous.get(`/api/v1/i18n/${locale}?tenant=${tenant.slug}`)).json().texts as Record<string, string>;

beforeAll(async () => {
  server = await startServer({ modulesDir: fileURLToPath(new URL('../../fixtures/modules/', import.meta.url)) });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  anonymous = client(server);
});
afterAll(async () => {
  await admin.post('/api/v1/modules/alpha/uninstall', { keepData: false });
  await server.close();
});

describe('translations', () => {
  it('serves the catalog of a language from metadata and messages, with an ETag', async () => {
    const res = await anonymous.get(`/api/v1/i18n/fr?tenant=${tenant.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().texts).toMatchObject({ 'entity.customer': 'Client', 'field.customer.paymentTermDays': 'Délai de paiement (jours)', 'error.required': 'Ce champ est obligatoire.' });
    expect((await texts('en'))['enum.customer.kind.person']).toBe('person');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect((await anonymous.get(`/api/v1/i18n/fr?tenant=${tenant.slug}`, { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await anonymous.get('/api/v1/i18n/fr?tenant=no-such-tenant')).statusCode).toBe(404);
    expect((await anonymous.get(`/api/v1/i18n/fr_FR?tenant=${tenant.slug}`)).statusCode).toBe(404);
  });

  it('adds the texts of active modules, and the tenant overrides everything', async () => {
    await admin.post('/api/v1/modules/alpha/install');
    expect((await texts('fr'))['alpha.greeting']).toBe('{n} articles');
    const before = (await anonymous.get(`/api/v1/i18n/fr?tenant=${tenant.slug}`)).headers.etag;
    const imported = await admin.post('/api/v1/i18n/fr/import', { 'entity.customer': 'Acheteur', 'alpha.greeting': '{n} pièces' });
    expect(imported.json()).toEqual({ locale: 'fr', created: 2, updated: 0 });
    const after = await anonymous.get(`/api/v1/i18n/fr?tenant=${tenant.slug}`);
    expect(after.json().texts).toMatchObject({ 'entity.customer': 'Acheteur', 'alpha.greeting': '{n} pièces' });
    expect(after.headers.etag).not.toBe(before);
    // une autre langue, un autre tenant : rien ne change
    expect((await texts('en'))['entity.customer']).toBe('Customer');
    const other = await newTenant(server);
    expect((await anonymous.get(`/api/v1/i18n/fr?tenant=${other.slug}`)).json().texts['entity.customer']).toBe('Client');
  });

  it('reports missing keys and fills them from CSV', async () => {
    const missing = (await admin.get('/api/v1/i18n/fr/missing')).json().missing as string[];
    expect(missing).toContain('enum.customer.kind.person');
    expect(missing).not.toContain('entity.customer');
    const csv = 'key,text\r\nenum.customer.kind.person,Personne\r\n"enum.customer.kind.organisation","Organisation, société"\r\n';
    expect((await admin.post('/api/v1/i18n/fr/import', csv, { 'content-type': 'text/csv' })).json()).toMatchObject({ created: 2 });
    const after = (await admin.get('/api/v1/i18n/fr/missing')).json().missing as string[];
    expect(after).not.toContain('enum.customer.kind.person');
    expect((await texts('fr'))['enum.customer.kind.organisation']).toBe('Organisation, société');
  });

  it('exports JSON, CSV and XLIFF (escaped), and re-imports XLIFF', async () => {
    await admin.post('/api/v1/i18n/fr/import', { 'custom.notice': '<b>Gras</b> & "guillemets"' });
    expect((await texts('fr'))['custom.notice']).toBe('<b>Gras</b> & "guillemets"');
    const xliff = await admin.get('/api/v1/i18n/fr/export?format=xliff');
    expect(xliff.headers['content-type']).toContain('application/xliff+xml');
    expect(xliff.body).toContain('<trans-unit id="custom.notice"><source></source><target>&lt;b&gt;Gras&lt;/b&gt; &amp; &quot;guillemets&quot;</target></trans-unit>');
    expect(xliff.body).toContain('<trans-unit id="entity.customer"><source>Customer</source><target>Acheteur</target></trans-unit>');
    const csv = await admin.get('/api/v1/i18n/fr/export?format=csv');
    expect(csv.body.split('\n')[0]).toBe('key,text');
    expect(csv.body).toContain('enum.customer.kind.organisation,"Organisation, société"');
    expect((await admin.get('/api/v1/i18n/fr/export')).json()['entity.customer']).toBe('Acheteur');
    const back = await admin.post('/api/v1/i18n/fr/import', xliff.body, { 'content-type': 'application/xliff+xml' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().created + back.json().updated).toBeGreaterThan(100);
    expect((await texts('fr'))['custom.notice']).toBe('<b>Gras</b> & "guillemets"');
  });

  it('refuses hostile keys, empty texts, malformed bodies, and non-administrators', async () => {
    const bad = await admin.post('/api/v1/i18n/fr/import', { '<script>alert(1)</script>': 'x', 'ok.key': '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['entry 1', 'entry 2']);
    expect((await admin.post('/api/v1/i18n/fr/import', ['not', 'an', 'object'])).statusCode).toBe(400);
    expect((await admin.post('/api/v1/i18n/fr/import?format=yaml', {})).statusCode).toBe(400);
    expect((await admin.post('/api/v1/i18n/fr/import', 'key,text\n"unclosed,quote\n', { 'content-type': 'text/csv' })).statusCode).toBe(400);
    const kit = memberKit(server, tenant, admin);
    const user = await kit.member('translator', [await kit.role('reader-only', ['customer:read'])]);
    expect((await user.api.post('/api/v1/i18n/fr/import', { 'a.b': 'c' })).statusCode).toBe(403);
    expect((await user.api.get('/api/v1/i18n/fr')).json().texts['entity.customer']).toBe('Acheteur');
  });
});
