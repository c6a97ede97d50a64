// Service de l'interface web : /app/ et /server/ servent la même page avec leur <base href>, les fichiers
// versionnés sont immuables, le domaine app.DOMAIN sert la page à la racine, l'API reste sur chaque hôte.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/http/app.js';
import { pageFor } from '../../../src/http/routes/frontend.js';
import { startServer, type TestServer } from '../../support/platform.js';

const dir = mkdtempSync(join(tmpdir(), 'ofx-front-'));
let server: TestServer;

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>OpsFlux</title><script type="module" src="./assets/index-abc.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log("app")');
  writeFileSync(join(dir, 'assets', 'index-abc.js.br'), brotliCompressSync('console.log("app")'));
  process.env.OPSFLUX_FRONTEND_DIR = dir;
  server = await startServer();
});
afterAll(async () => {
  delete process.env.OPSFLUX_FRONTEND_DIR;
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web interface', () => {
  it('serves the entry page under /app/ and /server/ for any client-side route, never cached', async () => {
    for (const [url, base, area] of [['/app/', '/app/', 'app'], ['/app/data/customer/123', '/app/', 'app'], ['/server/', '/server/', 'server'], ['/server/admin/modules?x=1', '/server/', 'server']]) {
      const res = await server.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain(`<base href="${base}" />`);
      expect(res.body).toContain(`<meta name="opsflux-area" content="${area}" />`);
    }
    expect((await server.app.inject({ url: '/app' })).headers.location).toBe('/app/');
    expect((await server.app.inject({ url: '/' })).headers.location).toBe('/app/');
  });

  it('serves hashed assets as immutable and answers 404 for unknown ones, without escaping the folder', async () => {
    const asset = await server.app.inject({ url: '/server/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.body).toBe('console.log("app")');
    // la version compressée à la compilation part quand le navigateur l'accepte
    const compressed = await server.app.inject({ url: '/app/assets/index-abc.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(compressed.rawPayload).toString()).toBe('console.log("app")');
    expect((await server.app.inject({ url: '/app/assets/missing.js' })).statusCode).toBe(404);
    expect((await server.app.inject({ url: '/app/assets/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await server.app.inject({ url: '/app/assets/../index.html' })).body).not.toContain('console.log');
  });

  it('on app.DOMAIN serves the page at the root and keeps the API on the same origin', async () => {
    const app = await buildApp(server.platform, { domain: 'example.com' });
    try {
      const page = await app.inject({ url: '/data/customer', headers: { host: 'app.example.com' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<base href="/" />');
      const asset = await app.inject({ url: '/assets/index-abc.js', headers: { host: 'app.example.com' } });
      expect(asset.statusCode).toBe(200);
      const health = await app.inject({ url: '/api/health', headers: { host: 'app.example.com' } });
      expect(health.statusCode).toBe(200);
      expect((await app.inject({ url: '/', headers: { host: 'server.example.com' } })).body).toContain('content="server"');
    } finally {
      await app.close();
    }
  });

  it('escapes the base written into the page', () => {
    expect(pageFor('<head></head>', '/a"><script>', 'app')).toContain('<base href="/a&quot;&gt;&lt;script&gt;" />');
  });

  it('says the interface is not built when the folder is empty', async () => {
    rmSync(join(dir, 'index.html'));
    const res = await server.app.inject({ url: '/app/' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('frontend_not_built');
  });
});
