// Liste d'autorisation des connexions sortantes (réglage de plateforme `outbound.allowList`) : un nom d'hôte, une
// adresse IP ou une plage CIDR, avec ou sans port (`minio.internal`, `minio.internal:9000`, `10.0.0.5:389`,
// `[fd00::5]:636`, `10.20.0.0/16`). Une entrée ouvre une adresse privée, jamais une adresse interdite.
import { BlockList, isIP } from 'node:net';
import { bareAddress } from './addresses.js';

export interface AllowEntry {
  /** nom d'hôte comparé au nom donné à la connexion, ou plage comparée à l'adresse contactée */
  target: { host: string } | { network: BlockList };
  /** absent : tous les ports */
  port?: number;
}

/** Ce qu'une connexion contacte : le nom donné (ou l'adresse littérale), le port et l'adresse résolue. */
export interface Destination {
  host: string;
  /** inconnu à l'enregistrement d'un hôte sans port (SMTP) : les entrées avec port s'appliquent alors */
  port?: number;
  address: string;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/;

/** Nom d'hôte comparable : minuscules, sans point final ni crochets. */
export function normalHost(host: string): string {
  return bareAddress(host.trim().toLowerCase()).replace(/\.$/, '');
}

function network(address: string, prefix?: number): BlockList | undefined {
  const family = isIP(address);
  if (!family) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (prefix === undefined) list.addAddress(address, type);
  else if (prefix >= 0 && prefix <= (family === 4 ? 32 : 128)) list.addSubnet(address, prefix, type);
  else return undefined;
  return list;
}

function port(text: string | undefined): number | undefined | false {
  if (text === undefined) return undefined;
  const value = Number(text);
  return /^\d{1,5}$/.test(text) && value >= 1 && value <= 65_535 ? value : false;
}

/** Entrée lue depuis son texte ; undefined si le texte n'est ni un hôte, ni une adresse, ni une plage. */
export function parseAllowEntry(text: string): AllowEntry | undefined {
  const value = text.trim().toLowerCase();
  const cidr = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(value);
  if (cidr) {
    const range = network(cidr[1]!, Number(cidr[2]));
    return range ? { target: { network: range } } : undefined;
  }
  if (isIP(value) === 6) return { target: { network: network(value)! } };
  const parts = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(value) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(value);
  if (!parts) return undefined;
  const [, host, portText] = parts;
  const entryPort = port(portText);
  if (entryPort === false) return undefined;
  const withPort = entryPort === undefined ? {} : { port: entryPort };
  if (isIP(host!)) return { target: { network: network(host!)! }, ...withPort };
  if (value.startsWith('[') || !HOST_NAME.test(host!)) return undefined;
  return { target: { host: host! }, ...withPort };
}

/** Entrées valides d'une liste (les invalides, refusées à l'enregistrement, sont ignorées). */
export function parseAllowList(texts: readonly string[]): AllowEntry[] {
  return texts.map(parseAllowEntry).filter((e): e is AllowEntry => e !== undefined);
}

export function allowed(entries: readonly AllowEntry[], destination: Destination): boolean {
  const host = normalHost(destination.host);
  const address = bareAddress(destination.address);
  const family = isIP(address);
  return entries.some((entry) => {
    if (entry.port !== undefined && destination.port !== undefined && entry.port !== destination.port) return false;
    if ('host' in entry.target) return entry.target.host === host;
    return family !== 0 && entry.target.network.check(address, family === 4 ? 'ipv4' : 'ipv6');
  });
}
