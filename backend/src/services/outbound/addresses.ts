// Classes d'adresses IP des connexions sortantes : publique, privée (bouclage, réseaux privés, CGNAT, ULA), interdite
// (non spécifiée, lien local, métadonnées des nuages, multidiffusion, réservées, IPv4 dans IPv6).
import { BlockList, isIP } from 'node:net';

/** `private` : ouverte seulement par la liste d'autorisation de la plateforme ; `forbidden` : jamais. */
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

/** Adresse sans crochets ni zone (`[fe80::1%eth0]` → `fe80::1`). */
export function bareAddress(address: string): string {
  return address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
}

/** Classe d'une adresse IP littérale ; ce qui n'est pas une adresse IP est interdit. */
export function classifyAddress(address: string): AddressClass {
  const bare = bareAddress(address);
  const family = isIP(bare);
  if (family === 0) return 'forbidden';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if ((family === 6 && mappedRange.check(bare, 'ipv6')) || metadata.check(bare, type)) return 'forbidden';
  // privée d'abord : ::1 (bouclage) est aussi dans ::/96
  if (privateRanges.check(bare, type)) return 'private';
  if (forbiddenRanges.check(bare, type)) return 'forbidden';
  return 'public';
}
