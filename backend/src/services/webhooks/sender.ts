// Envoi HTTP d'un webhook : POST du corps signé, agents keep-alive dont la résolution DNS passe par la garde
// d'adresses (vérifiée à la connexion), redirections jamais suivies (un 3xx est un échec), délai par envoi, extrait
// de la réponse borné à 2 Ko.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { addressProblem, BlockedAddressError, guardedLookup } from './address-guard.js';

export const RESPONSE_EXCERPT_BYTES = 2048;
/** au-delà, la réponse n'est plus lue : la connexion est fermée plutôt que vidée */
const DRAIN_LIMIT_BYTES = 64 * 1024;

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  /** abandon venu de la file (délai du travail, arrêt du nœud) */
  signal?: AbortSignal;
}

export interface SendOutcome {
  ok: boolean;
  status: number | null;
  durationMs: number;
  body: string | null;
  error: string | null;
}

type Agents = { http: http.Agent; https: https.Agent };

function agents(allowPrivate: boolean): Agents {
  const options = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, lookup: guardedLookup(allowPrivate) };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export class WebhookSender {
  /** agents distincts selon le réglage : une connexion ouverte vers une adresse privée n'est jamais réutilisée s'il change */
  private readonly pools: Record<'strict' | 'private', Agents> = { strict: agents(false), private: agents(true) };

  async send(request: SendRequest): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(request.url);
    // adresse littérale : net.connect ne passe pas par `lookup`, on la vérifie ici
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host) ? addressProblem(host, request.allowPrivate) : undefined;
    if (literal) return { ok: false, status: null, durationMs: 0, body: null, error: `Refused: ${literal}` };
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    try {
      const response = await this.post(url, request, signal);
      const status = response.statusCode ?? 0;
      const body = await excerpt(response, signal);
      if (status >= 200 && status < 300) return { ok: true, status, durationMs: elapsed(), body, error: null };
      const error = status >= 300 && status < 400
        ? `Redirect not followed (HTTP ${status}${response.headers.location ? ` to ${String(response.headers.location).slice(0, 500)}` : ''})`
        : `HTTP ${status}`;
      return { ok: false, status, durationMs: elapsed(), body, error };
    } catch (error) {
      const message = timeout.aborted ? `Timed out after ${request.timeoutMs} ms`
        : error instanceof BlockedAddressError ? error.message
          : `${(error as Error).name}: ${(error as Error).message}`;
      return { ok: false, status: null, durationMs: elapsed(), body: null, error: message.slice(0, 1000) };
    }
  }

  close(): void {
    for (const pool of Object.values(this.pools)) {
      pool.http.destroy();
      pool.https.destroy();
    }
  }

  private post(url: URL, request: SendRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const pool = this.pools[request.allowPrivate ? 'private' : 'strict'];
    const secure = url.protocol === 'https:';
    const send = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method: 'POST',
        agent: secure ? pool.https : pool.http,
        signal,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      }, resolve);
      req.on('error', reject);
      req.end(request.body);
    });
  }
}

/** Début de la réponse (texte, au plus 2 Ko) ; le reste est vidé (connexion réutilisable) ou la connexion fermée. */
function excerpt(response: IncomingMessage, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let read = 0;
    const onAbort = () => {
      response.destroy();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text ? text : null);
    };
    response.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (kept < RESPONSE_EXCERPT_BYTES) {
        const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (read > DRAIN_LIMIT_BYTES) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}
