// Résolution contrôlée d'un nom : à la connexion, la garde résout elle-même le nom et rend une adresse permise, à
// laquelle le client se connecte (un nom qui change d'adresse entre deux résolutions — DNS rebinding — ne peut donc
// pas mener ailleurs) ; à l'enregistrement, le même contrôle signale tôt une valeur qui serait refusée.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { bareAddress } from './addresses.js';
import { OutboundRefusedError, type OutboundPolicy, type Refusal } from './policy.js';

/** Adresses d'un nom, ou l'adresse littérale elle-même. */
async function addressesOf(host: string): Promise<string[]> {
  const bare = bareAddress(host);
  if (isIP(bare)) return [bare];
  return (await lookup(bare, { all: true })).map((a) => a.address);
}

/** Première adresse permise du nom ; sinon OutboundRefusedError (avec la raison de la première adresse refusée). */
export async function permittedAddress(policy: OutboundPolicy, host: string, port: number): Promise<string> {
  const addresses = await addressesOf(host);
  let first: Refusal | undefined;
  for (const address of addresses) {
    const refusal = policy.refusal({ host, port, address });
    if (!refusal) return address;
    first ??= refusal;
  }
  if (!first) throw Object.assign(new Error(`No address for ${host}`), { code: 'ENOTFOUND' });
  throw new OutboundRefusedError(first, policy.kind);
}

/**
 * Contrôle à l'enregistrement : refus si aucune adresse du nom n'est permise. Un nom qui ne se résout pas (encore) est
 * accepté, la garde de connexion le vérifiera ; la résolution est bornée à `timeoutMs`.
 */
export async function savedTargetRefusal(policy: OutboundPolicy, host: string, port: number | undefined, timeoutMs = 2000): Promise<Refusal | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  const addresses = await Promise.race([addressesOf(host).catch(() => []), late]).finally(() => clearTimeout(timer));
  const refusals = addresses.map((address) => policy.refusal({ host, port, address }));
  return refusals.length && refusals.every(Boolean) ? refusals[0] : undefined;
}
