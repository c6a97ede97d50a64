// Règles de l'entité webhook, posées en crochets du service générique : motifs de sujets, adresse permise (garde
// SSRF à l'enregistrement), en-têtes personnalisés, secret généré puis chiffré, compteur remis à zéro à la
// réactivation, et cache des abonnements oublié sur tous les nœuds après chaque écriture.
import { sql } from 'kysely';
import type { FieldError } from '@opsflux/sdk';
import type { SecretBox } from '../../keys/secret-box.js';
import { executeAtCommit } from '../../db/transaction.js';
import type { HookBus, HookPayload } from '../../events/hooks.js';
import { validationFailed } from '../../errors/problem.js';
import type { Outbound } from '../outbound/outbound.js';
import { generateSecret } from './signature.js';
import { WEBHOOKS_CHANNEL, type SubscriptionCache } from './subscriptions.js';
import { validPattern } from './topics.js';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** en-têtes tenus par OpsFlux ou par HTTP : jamais remplacés par un abonnement */
const RESERVED_HEADER = /^(x-opsflux-.*|content-type|content-length|host|connection|transfer-encoding|keep-alive|upgrade|te|trailer|expect)$/i;
// longueur minimale d'un secret de signature HMAC : un plancher de sécurité, pas une préférence
const MIN_SECRET_LENGTH = 16;

/** Erreurs des en-têtes personnalisés (valeur JSON : objet de chaînes). */
export function headerErrors(value: unknown): FieldError[] {
  if (value === null || value === undefined) return [];
  const parsed = typeof value === 'string' ? JSON.parse(value) as unknown : value;
  if (parsed === null) return [];
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return [{ field: 'headers', code: 'invalid_type', message: 'An object of header names to string values' }];
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > 20) return [{ field: 'headers', code: 'too_many', message: 'At most 20 custom headers' }];
  return entries.flatMap(([name, v]): FieldError[] => {
    if (!HEADER_NAME.test(name)) return [{ field: `headers.${name}`, code: 'invalid_name', message: 'Not a valid header name' }];
    if (RESERVED_HEADER.test(name)) return [{ field: `headers.${name}`, code: 'reserved', message: 'This header is set by OpsFlux' }];
    if (typeof v !== 'string' || v.length > 4000 || /[\r\n\0]/.test(v)) return [{ field: `headers.${name}`, code: 'invalid_value', message: 'A single-line string of at most 4000 characters' }];
    return [];
  });
}

export function installWebhookRules(hooks: HookBus, outbound: Outbound, box: SecretBox, cache: SubscriptionCache): void {
  const prepare = async ({ event, trx, ctx, data, before }: HookPayload): Promise<void> => {
    if (!data) return;
    const errors: FieldError[] = [];
    if (Array.isArray(data.events)) {
      if (!data.events.length) errors.push({ field: 'events', code: 'required', message: 'At least one topic (customer.created, customer.*, *)' });
      for (const topic of data.events as string[]) {
        if (!validPattern(topic)) errors.push({ field: 'events', code: 'invalid_pattern', message: `"${topic}" is not a topic pattern (customer.created, customer.*, *)` });
      }
    }
    if (typeof data.url === 'string') {
      const problem = await outbound.urlProblem('webhook', data.url, ctx.locale, { open: { tenantId: ctx.tenantId, trx } });
      if (problem) errors.push({ field: 'url', ...problem });
    }
    if ('headers' in data) errors.push(...headerErrors(data.headers));
    if ('secret' in data && (typeof data.secret !== 'string' || data.secret.length < MIN_SECRET_LENGTH)) {
      errors.push({ field: 'secret', code: 'too_short', message: `At least ${MIN_SECRET_LENGTH} characters (leave it out to have one generated)` });
    }
    if (errors.length) throw validationFailed(errors);
    if (typeof data.secret === 'string') data.secret = box.seal(data.secret);
    else if (event === 'beforeCreate') data.secret = box.seal(generateSecret());
    // réactivation : le compteur d'échecs et la désactivation automatique sont effacés
    if (event === 'beforeUpdate' && data.active === true && before?.active === false) {
      data.failureCount = 0;
      data.disabledAt = null;
      data.disabledReason = null;
    }
  };
  const forget = async ({ trx, ctx }: HookPayload): Promise<void> => {
    cache.invalidate(ctx.tenantId);
    await executeAtCommit(trx, sql`SELECT pg_notify(${WEBHOOKS_CHANNEL}, ${ctx.tenantId})`);
  };
  for (const event of ['beforeCreate', 'beforeUpdate'] as const) hooks.on(event, 'webhook', prepare);
  for (const event of ['afterCreate', 'afterUpdate', 'afterDelete'] as const) hooks.on(event, 'webhook', forget);
}
