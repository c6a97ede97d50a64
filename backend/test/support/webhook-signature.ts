// Contrôle indépendant de la signature des webhooks, écrit d'après la documentation (docs/api.md) et non d'après le
// code qui signe : `X-OpsFlux-Signature: t=<secondes unix>,v1=<HMAC-SHA256 hexadécimal de "<t>.<corps brut>">`, avec
// `t` égal à `X-OpsFlux-Timestamp`. Une erreur partagée par le signataire et son `verifySignature` ne passe pas ici.
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { Received } from './webhook-receiver.js';

/** Fraîcheur exigée par la documentation côté destinataire (secondes). */
const DOCUMENTED_TOLERANCE_SECONDS = 300;

/** En-tête que la documentation prescrit pour ce secret, cet horodatage et ce corps brut. */
export function documentedSignature(secret: string, timestamp: string, rawBody: string): string {
  const digest = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(`${timestamp}.${rawBody}`, 'utf8')).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/** L'envoi reçu porte exactement la signature documentée pour `secret`, avec un horodatage frais. */
export function expectDocumentedSignature(received: Received, secret: string): void {
  const timestamp = received.headers['x-opsflux-timestamp'];
  expect(timestamp).toMatch(/^\d{10}$/);
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThanOrEqual(DOCUMENTED_TOLERANCE_SECONDS);
  expect(received.headers['x-opsflux-signature']).toBe(documentedSignature(secret, timestamp as string, received.body));
}
