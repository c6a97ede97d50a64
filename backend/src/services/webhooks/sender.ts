// Envoi HTTP d'un webhook : POST du corps signé par les connexions sortantes gardées (adresse vérifiée à chaque
// connexion), redirections jamais suivies (un 3xx est un échec), délai par envoi, extrait de la réponse borné à 2 Ko.
import type { Response } from 'undici';
import type { Outbound } from '../outbound/outbound.js';
import { OutboundRefusedError } from '../outbound/policy.js';

// extrait de réponse gardé dans l'historique d'un envoi : taille de diagnostic, pas une limite d'usage
export const RESPONSE_EXCERPT_BYTES = 2048;
/** au-delà, la réponse n'est plus lue : la connexion est fermée plutôt que vidée */
const DRAIN_LIMIT_BYTES = 64 * 1024;

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
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

export class WebhookSender {
  constructor(private readonly outbound: Outbound) {}

  async send(request: SendRequest): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    try {
      const response = await this.outbound.fetch('webhook', request.url, { method: 'POST', headers: request.headers, body: request.body, signal });
      const status = response.status;
      const body = await excerpt(response);
      if (status >= 200 && status < 300) return { ok: true, status, durationMs: elapsed(), body, error: null };
      const location = response.headers.get('location');
      const error = status >= 300 && status < 400
        ? `Redirect not followed (HTTP ${status}${location ? ` to ${location.slice(0, 500)}` : ''})`
        : `HTTP ${status}`;
      return { ok: false, status, durationMs: elapsed(), body, error };
    } catch (error) {
      const message = timeout.aborted ? `Timed out after ${request.timeoutMs} ms`
        : error instanceof OutboundRefusedError ? error.message
          : `${(error as Error).name}: ${(error as Error).message}`;
      // refusée avant toute connexion : aucune durée mesurée
      return { ok: false, status: null, durationMs: error instanceof OutboundRefusedError ? 0 : elapsed(), body: null, error: message.slice(0, 1000) };
    }
  }
}

/** Début de la réponse (texte, au plus 2 Ko) ; le reste est lu (connexion réutilisable) ou abandonné au-delà de 64 Ko. */
async function excerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let kept = 0;
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.length;
    if (kept < RESPONSE_EXCERPT_BYTES) {
      const part = Buffer.from(value.subarray(0, RESPONSE_EXCERPT_BYTES - kept));
      chunks.push(part);
      kept += part.length;
    }
    if (read > DRAIN_LIMIT_BYTES) {
      await reader.cancel();
      break;
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? text : null;
}
