// Banc des webhooks (appelé par `npm run bench`, scénario `webhooks`) : N enregistrements d'une entité simple créés
// par l'API en lots (un événement chacun), un abonnement `bench_event.created` vers un destinataire node:http local qui vérifie chaque signature ; débit mesuré de
// la première écriture au dernier envoi reçu (outbox → envois → file des travaux → POST signé).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Platform } from '../backend/src/core/platform.js';
import { buildApp } from '../backend/src/http/app.js';
import { createUser } from '../backend/src/iam/bootstrap.js';
import { verifySignature } from '../backend/src/services/webhooks/signature.js';

export interface WebhookBenchResult {
  backend: string;
  events: number;
  seconds: number;
  deliveriesPerSecond: number;
  /** écritures terminées (toutes validées) au bout de */
  writesSeconds: number;
  invalidSignatures: number;
  duplicates: number;
  concurrency: number;
  /** débits de chaque manche (médiane retenue) */
  rounds?: number[];
}

/** Objectif du ticket (serveur PostgreSQL). */
export const WEBHOOK_TARGET = { deliveriesPerSecond: 500 };

const ENTITY = 'bench_event';
const BATCH = 100;
const WRITERS = 4;

interface Receiver {
  url: string;
  secret?: string;
  done: Promise<number>;
  stats: { valid: number; invalid: number; duplicates: number };
  close(): Promise<void>;
}

/** Destinataire : vérifie la signature, écarte les doublons par id d'événement, résout au N-ième événement distinct. */
async function startReceiver(expected: number): Promise<Receiver> {
  const seen = new Set<string>();
  const stats = { valid: 0, invalid: 0, duplicates: 0 };
  let finish: (at: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const receiver: Receiver = { url: '', done, stats, close: async () => undefined };
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (!receiver.secret || !verifySignature(receiver.secret, body, req.headers['x-opsflux-signature'] as string | undefined)) {
        stats.invalid++;
        res.writeHead(401).end();
        return;
      }
      const { id } = JSON.parse(body) as { id: string };
      if (seen.has(id)) stats.duplicates++;
      else {
        seen.add(id);
        stats.valid++;
        if (seen.size === expected) finish(performance.now());
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** Une manche : plateforme neuve, tenant propre à la manche (`round`). */
export async function benchWebhooks(backend: string, databaseUrl: string | undefined, events: number, concurrency: number, round = 0): Promise<WebhookBenchResult> {
  const platform = await Platform.open({ url: databaseUrl, poolSize: 10, dispatch: true, jobs: { concurrency }, webhooks: { maxAttempts: 3, backoffMs: 1000 } });
  const app = await buildApp(platform);
  const receiver = await startReceiver(events);
  try {
    const password = 'benchmark-password';
    const tenant = `bench-hooks-${round}`;
    await createUser(platform, { email: 'hooks@opsflux.test', password, tenant, superAdmin: true });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'hooks@opsflux.test', password, tenant } });
    const headers = { authorization: `Bearer ${login.json().accessToken as string}` };
    const call = async (method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await call('PUT', '/api/v1/settings/webhooks.allowPrivateTargets', { value: true, level: 'platform' });
    await call('POST', '/api/v1/meta/entities', {
      name: ENTITY, label: { en: 'Bench event', fr: 'Événement de banc' },
      fields: { name: { type: 'string', required: true }, qty: { type: 'integer' }, note: { type: 'text' } },
    });
    const hook = await call('POST', '/api/v1/data/webhook', { name: 'bench', url: receiver.url, events: [`${ENTITY}.created`] });
    receiver.secret = (await call('GET', `/api/v1/webhooks/${hook.id as string}/secret`)).secret;
    // chauffe : un envoi de bout en bout (plans, connexions, JIT) avant la mesure
    await call('POST', `/api/v1/webhooks/${hook.id as string}/test`);
    await platform.jobs.idle();
    receiver.stats.valid = 0;

    console.log(`[${backend}] webhooks: ${events.toLocaleString('en')} events, queue concurrency ${concurrency}…`);
    const started = performance.now();
    let next = 0;
    const writer = async () => {
      for (;;) {
        const from = next;
        next += BATCH;
        if (from >= events) return;
        const operations = Array.from({ length: Math.min(BATCH, events - from) }, (_, i) => ({ op: 'create', data: { name: `Hooked ${from + i}`, qty: from + i, note: 'webhook bench' } }));
        await call('POST', `/api/v1/data/${ENTITY}/bulk`, { operations });
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    const writesSeconds = (performance.now() - started) / 1000;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('webhook bench: deliveries still missing after 10 minutes')), 600_000).unref());
    const finished = await Promise.race([receiver.done, timeout]);
    const seconds = (finished - started) / 1000;
    const result: WebhookBenchResult = {
      backend, events, seconds: Math.round(seconds * 100) / 100, deliveriesPerSecond: Math.round(events / seconds),
      writesSeconds: Math.round(writesSeconds * 100) / 100, invalidSignatures: receiver.stats.invalid, duplicates: receiver.stats.duplicates, concurrency,
    };
    console.log(`[${backend}] webhooks: ${result.deliveriesPerSecond} deliveries/s (${result.seconds} s; writes done after ${result.writesSeconds} s; `
      + `${result.invalidSignatures} bad signatures, ${result.duplicates} duplicates)`);
    return result;
  } finally {
    await receiver.close();
    await app.close();
    await platform.close();
  }
}
