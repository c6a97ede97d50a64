// Données de démonstration : chargées une fois (idempotentes), réalistes, et visibles par l'API avec les utilisateurs
// de démonstration ; `npm start` sur une base embarquée neuve les charge et affiche les identifiants.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, type DemoResult } from '../../../src/demo/load-demo.js';
import { client, onServer, qs, startServer, type Client, type TestServer } from '../../support/platform.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
let server: TestServer;
let demo: DemoResult;
let sales: Client;
let slug: string;

async function login(user: string): Promise<Client> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `${user}@${slug}.opsflux.local`, password: 'demo password 2026', tenant: slug } });
  expect(res.statusCode, res.body).toBe(200);
  return client(server, res.json().accessToken);
}

beforeAll(async () => {
  server = await startServer();
  slug = `demo-${Date.now().toString(36)}`;
  demo = await loadDemo(server.platform, { tenant: slug, password: 'demo password 2026', today: '2026-11-30' });
  sales = await login('sales');
});
afterAll(() => server.close());

describe('demo data', () => {
  it('loads two companies in a group, with sites, departments, calendars and two years of rates', async () => {
    expect(demo).toMatchObject({ created: true, tenant: slug, users: expect.arrayContaining([{ email: `sales@${slug}.opsflux.local`, role: 'Sales' }]) });
    const companies = (await sales.get('/api/v1/data/company?sort=code')).json().data;
    expect(companies.map((c: { name: string }) => c.name)).toEqual(['OpsFlux Demo France', 'OpsFlux Demo Group', 'OpsFlux Demo Inc.']);
    expect((await sales.get('/api/v1/data/site?count=true')).json().meta.count).toBe(4);
    expect((await sales.get('/api/v1/data/business_unit?count=true')).json().meta.count).toBe(8);
    const rates = (await sales.get(`/api/v1/data/exchange_rate?count=true&limit=1&${qs({ filter: { source: 'demo' } })}`)).json().meta.count;
    expect(rates).toBeGreaterThan(1000);
    const convert = await sales.get('/api/v1/currencies/convert?amount=100&from=USD&to=GBP&date=2026-11-27');
    expect(convert.statusCode, convert.body).toBe(200);
    expect(convert.json().via).toBe('EUR');
    const calendars = (await sales.get('/api/v1/data/calendar')).json().data;
    const france = calendars.find((c: { name: string }) => c.name === 'France');
    // vendredi 13 novembre 2026 + 1 jour ouvré → lundi 16 ; mardi 10 + 1 → jeudi 12 (le 11 novembre est férié)
    expect((await sales.get(`/api/v1/calendars/${france.id}/add-working-days?date=2026-11-10&days=1`)).json().date).toBe('2026-11-12');
  });

  it('loads 200 parties across the four roles, some holding two roles, with addresses, categories and tags', async () => {
    const count = async (entity: string, filter?: object) => {
      const res = await sales.get(`/api/v1/data/${entity}?count=true&limit=1${filter ? `&${qs({ filter })}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().meta.count;
    };
    expect(await count('party')).toBe(200);
    expect(await count('customer')).toBe(100);
    expect(await count('supplier')).toBe(60);
    expect(await count('employee')).toBe(30);
    expect(await count('partner')).toBe(20);
    expect(await count('address')).toBeGreaterThanOrEqual(200);
    const customers = (await sales.get('/api/v1/data/category?' + qs({ filter: { code: 'demo-customers' } }))).json().data[0];
    expect(await count('customer', { 'category.path': { like: `%/${customers.id}/%` } })).toBe(100);
  });

  it('is idempotent and gives each demo user the rights of its role', async () => {
    expect((await loadDemo(server.platform, { tenant: slug })).created).toBe(false);
    expect((await sales.post('/api/v1/data/customer', { name: 'New prospect' })).statusCode).toBe(201);
    const viewer = await login('viewer');
    expect((await viewer.get('/api/v1/data/customer?limit=1')).statusCode).toBe(200);
    expect((await viewer.post('/api/v1/data/customer', { name: 'Nope' })).statusCode).toBe(403);
    const finance = await login('finance');
    expect((await finance.post('/api/v1/currencies/rates/import', 'date,base,quote,rate\n2026-11-30,EUR,USD,1.05\n', { 'content-type': 'text/csv' })).statusCode).toBe(200);
    expect((await sales.post('/api/v1/currencies/rates/import', 'date,base,quote,rate\n2026-11-30,EUR,USD,1.05\n', { 'content-type': 'text/csv' })).statusCode).toBe(403);
  });
});

describe.skipIf(onServer)('npm start on a fresh embedded database', () => {
  it('loads the demo and prints the demo users, who see the demo companies through the API', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsflux-start-'));
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const { OPSFLUX_DEMO: _inherited, ...inherited } = process.env;
    const env = { ...inherited, DATA_DIR: dataDir, LOG_DIR: join(dataDir, 'logs'), PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not started:\n${output}`)), 90_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      const password = /password shown once: (\S+)\)/.exec(output)?.[1];
      expect(password, output).toBeDefined();
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.opsflux.local', password, tenant: 'demo' }) });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const companies = await fetch(`${base}/api/v1/data/company?sort=code`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(((await companies.json()) as { data: { name: string }[] }).data.map((c) => c.name)).toContain('OpsFlux Demo France');
    } finally {
      // un processus déjà sorti (échec au démarrage) n'émettra plus « exit »
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
