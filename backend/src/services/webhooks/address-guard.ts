// Garde contre les requêtes forgées côté serveur (SSRF) : une adresse de destination est classée (publique, privée,
// interdite) au moment de la connexion — résolution DNS faite par la garde elle-même, donc un nom qui change
// d'adresse entre l'enregistrement et l'envoi (DNS rebinding) ne passe pas — et à l'enregistrement de l'URL.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { parseHttpUrl } from '../http-url.js';

/** `private` : permise seulement avec `webhooks.allowPrivateTargets` ; `forbidden` : jamais. */
export type AddressClass = 'public' | 'private' | 'forbidden';

const privateRanges = new BlockList();
const forbiddenRanges = new BlockList();
/** IPv4 mappée dans IPv6 (::ffff:a.b.c.d, sous toutes ses écritures) : toujours refusée */
const mappedRange = new BlockList();
mappedRange.addSubnet('::ffff:0:0', 96, 'ipv6');
/** services de métadonnées des nuages pris dans des plages privées : jamais, même avec les cibles privées permises */
const metadata = new BlockList();
metadata.addAddress('100.100.100.200', 'ipv4');
metadata.addAddress('fd00:ec2::254', 'ipv6');
for (const [network, prefix] of [
  ['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16],
  ['100.64.0.0', 10], // CGNAT (et 100.100.100.200, métadonnées d'un nuage)
] as const) privateRanges.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::1', 128], ['fc00::', 7]] as const) privateRanges.addSubnet(network, prefix, 'ipv6');
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['169.254.0.0', 16], // non spécifiée ; lien local (169.254.169.254 : métadonnées des nuages)
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], // réservées, documentation, tests
  ['224.0.0.0', 4], ['240.0.0.0', 4], // multidiffusion, réservée et diffusion générale
] as const) forbiddenRanges.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32],
  ['::', 96], ['64:ff9b::', 96], ['2002::', 16], // IPv4 dans IPv6 (compatible, NAT64, 6to4)
] as const) forbiddenRanges.addSubnet(network, prefix, 'ipv6');

/** Classe d'une adresse IP littérale. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'forbidden';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if ((family === 6 && mappedRange.check(bare, 'ipv6')) || metadata.check(bare, type)) return 'forbidden';
  // privée d'abord : ::1 (bouclage) est aussi dans ::/96
  if (privateRanges.check(bare, type)) return 'private';
  if (forbiddenRanges.check(bare, type)) return 'forbidden';
  return 'public';
}

/** Raison du refus d'une adresse, ou undefined si elle est permise. */
export function addressProblem(address: string, allowPrivate: boolean): string | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public' || (kind === 'private' && allowPrivate)) return undefined;
  return kind === 'private'
    ? `${address} is a loopback, private or shared address (allowed only with the platform setting webhooks.allowPrivateTargets)`
    : `${address} is a reserved, link-local, multicast or metadata address`;
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EADDRBLOCKED';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Fonction `lookup` pour `net.connect` (agents HTTP) : résout le nom puis refuse la connexion si une des adresses
 * obtenues est interdite — la vérification porte sur l'adresse réellement contactée.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as LookupAddress[];
      const problem = list.map((a) => addressProblem(a.address, allowPrivate)).find(Boolean);
      if (problem) return callback(new BlockedAddressError(`Refused: ${hostname} resolves to ${problem}`), '');
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** Adresses d'un nom (au plus `timeoutMs`) ; [] si le nom ne se résout pas. */
function resolveAll(hostname: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), timeoutMs);
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      resolve(error ? [] : addresses.map((a) => a.address));
    });
  });
}

/**
 * Contrôle d'une URL à l'enregistrement : http(s), sans identifiants, et vers une adresse permise (littérale ou
 * résolue). Un nom qui ne se résout pas encore est accepté : la garde de connexion le vérifiera à chaque envoi.
 */
export async function urlProblem(target: string, allowPrivate: boolean): Promise<string | undefined> {
  const url = parseHttpUrl(target, 'Put credentials in a custom header, not in the address');
  if (typeof url === 'string') return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host, 2000);
  const problem = addresses.map((a) => addressProblem(a, allowPrivate)).find(Boolean);
  return problem ? `Refused: ${host === addresses[0] ? problem : `${host} resolves to ${problem}`}` : undefined;
}
