// Liste d'adresses autorisées d'une clé d'API : adresses et réseaux CIDR, IPv4 et IPv6. Une adresse IPv4 vue sous
// sa forme IPv6 (`::ffff:10.1.2.3`, serveur à l'écoute sur `::`) est comparée comme IPv4.
import { BlockList, isIP } from 'node:net';

export type IpMatcher = (ip: string | null | undefined) => boolean;

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Forme canonique d'une entrée (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`), ou null si elle est invalide. */
export function normalizeIpEntry(entry: string): string | null {
  const [address, prefix, extra] = entry.trim().split('/');
  if (!address || extra !== undefined) return null;
  const family = isIP(address);
  if (family === 0) return null;
  if (prefix === undefined) return address.toLowerCase();
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) return null;
  return `${address.toLowerCase()}/${bits}`;
}

function unmapped(ip: string): string {
  return MAPPED_V4.exec(ip)?.[1] ?? ip;
}

/** Fonction de contrôle d'une liste déjà normalisée ; liste vide ou absente : toute adresse est admise. */
export function ipMatcher(entries: readonly string[] | null): IpMatcher {
  if (!entries?.length) return () => true;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address!) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(prefix), type);
  }
  return (ip) => {
    if (!ip) return false;
    const address = unmapped(ip);
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}
