// Signature des envois : `X-OpsFlux-Signature: t=<secondes unix>,v1=<HMAC-SHA256 hexadécimal de "<t>.<corps>">`.
// Le destinataire recalcule le HMAC sur le corps brut reçu, compare en temps constant et refuse un horodatage trop
// ancien (rejeu) ; `id` du corps, stable d'une tentative à l'autre, sert à écarter les doublons.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tolérance par défaut entre l'horodatage signé et l'horloge du destinataire (secondes) : paramètre de la vérification chez le destinataire. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Secret généré : 32 octets aléatoires. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/**
 * Vérification telle qu'un destinataire la fait (tests, banc, documentation) : signature valide et horodatage dans
 * la tolérance. Plusieurs `v1=` sont acceptés (rotation du secret côté destinataire).
 */
export function verifySignature(secret: string, body: string, header: string | undefined, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now()): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return parts.filter(([k]) => k === 'v1').some(([, v]) => {
    const given = Buffer.from(v ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
