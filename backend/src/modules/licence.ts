// Licences de modules commerciaux : fichier JSON signé Ed25519 (module, tenant, échéance, sièges), vérifié hors ligne
// avec les clés publiques du réglage `modules.licence.publicKeys`. Aucun appel réseau.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface LicenceTerms {
  module: string;
  /** slug du tenant, ou `*` pour tous les tenants de la plateforme */
  tenant: string;
  /** échéance (date ISO 8601) */
  expires: string;
  /** nombre maximal d'utilisateurs actifs du tenant */
  seats?: number;
  issuedTo?: string;
  issuedAt?: string;
}

export interface LicenceFile {
  licence: LicenceTerms;
  /** signature Ed25519, en base64, du JSON canonique de `licence` (clés triées) */
  signature: string;
}

export interface LicenceCheck {
  module: string;
  tenantSlug: string;
  activeUsers: number;
  now?: Date;
}

/** JSON aux clés triées (récursivement) : le texte signé ne dépend pas de l'ordre d'écriture. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Clé publique Ed25519 : PEM (SPKI) ou 32 octets bruts en base64. */
export function publicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const raw = Buffer.from(trimmed, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** Forme du fichier de licence (avant vérification de signature). */
export function parseLicence(raw: unknown): LicenceFile | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'a licence file is a JSON object { licence, signature }';
  const { licence, signature } = raw as Record<string, unknown>;
  if (typeof signature !== 'string' || !licence || typeof licence !== 'object') return 'a licence file is a JSON object { licence, signature }';
  const terms = licence as Record<string, unknown>;
  if (typeof terms.module !== 'string' || typeof terms.tenant !== 'string' || typeof terms.expires !== 'string') return 'licence.module, licence.tenant and licence.expires are required';
  if (Number.isNaN(Date.parse(terms.expires))) return 'licence.expires must be an ISO 8601 date';
  if (terms.seats !== undefined && (!Number.isInteger(terms.seats) || (terms.seats as number) < 1)) return 'licence.seats must be a positive integer';
  return raw as LicenceFile;
}

/** Raison pour laquelle la licence ne vaut pas ici, ou null si elle est valable. */
export function licenceProblem(file: LicenceFile, keys: string[], check: LicenceCheck): string | null {
  const data = Buffer.from(canonicalJson(file.licence));
  const signature = Buffer.from(file.signature, 'base64');
  const signed = keys.some((key) => {
    try {
      return verify(null, data, publicKey(key), signature);
    } catch {
      return false;
    }
  });
  if (!signed) return 'the licence signature does not match any trusted public key';
  const terms = file.licence;
  if (terms.module !== check.module) return `the licence is for module ${terms.module}`;
  if (terms.tenant !== '*' && terms.tenant !== check.tenantSlug) return `the licence is for tenant ${terms.tenant}`;
  if (Date.parse(terms.expires) <= (check.now ?? new Date()).getTime()) return `the licence expired on ${terms.expires}`;
  if (terms.seats !== undefined && check.activeUsers > terms.seats) return `the licence covers ${terms.seats} users, the tenant has ${check.activeUsers}`;
  return null;
}
