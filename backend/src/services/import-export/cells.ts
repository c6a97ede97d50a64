// Cellule d'un fichier → valeur d'API du champ. Le texte d'un tableur (« 1 234,50 », « oui », « 31/12/2024 »,
// « 12.50 EUR ») devient la valeur que l'API attend ; la validation du moteur fait le reste. Les références restent des
// jetons (eid ou id) résolus ensuite par lot.
import type { FieldModel } from '../../engine/model.js';

export type DateOrder = 'dmy' | 'mdy';

/** Référence à résoudre : eid ou id de l'enregistrement cible, un ou plusieurs. */
export class RefTokens {
  constructor(readonly tokens: string[], readonly many: boolean) {}
}

export type Converted = { ok: true; value: unknown } | { ok: false; code: string; expected?: string };

const ok = (value: unknown): Converted => ({ ok: true, value });
const bad = (code: string, expected?: string): Converted => ({ ok: false, code, expected });

const TRUE = new Set(['true', '1', 'yes', 'y', 'oui', 'o', 'vrai', 'x']);
const FALSE = new Set(['false', '0', 'no', 'n', 'non', 'faux', '']);
const SPACES = /[\s\u00a0\u202f]/g;

/** Nombre écrit par un humain : espaces de milliers retirés, virgule décimale acceptée quand il n'y a pas de point. */
export function numberText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.replace(SPACES, '');
  return text.includes('.') ? text : text.replace(',', '.');
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Date : ISO, ou jour/mois/année (ou mois/jour/année) avec / . ou - ; une date Excel arrive déjà en Date. */
export function dateText(value: unknown, order: DateOrder): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : isoDate(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (!local) return text.length > 10 && /^\d{4}-\d{2}-\d{2}[T ]00:00(:00(\.0+)?)?Z?$/.test(text) ? text.slice(0, 10) : text;
  const [day, month] = order === 'dmy' ? [local[1]!, local[2]!] : [local[2]!, local[1]!];
  return `${local[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** Instant : ISO 8601 ; « AAAA-MM-JJ HH:MM[:SS] » sans fuseau est lu en UTC. */
function dateTimeText(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)$/.exec(text);
  return plain ? `${plain[1]}T${plain[2]}Z` : text;
}

/** Liste écrite dans une cellule : tableau JSON, ou valeurs séparées par des points-virgules. */
function listOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return text.split(';').map((t) => t.trim()).filter(Boolean);
}

function jsonCell(value: unknown): Converted {
  if (typeof value !== 'string') return ok(value);
  try {
    return ok(JSON.parse(value));
  } catch {
    return bad('invalid_json');
  }
}

/** Montant « 12.50 EUR », « EUR 12.50 », objet { amount, currency } ou texte JSON de cet objet. */
function moneyCell(value: unknown): Converted {
  if (typeof value === 'object' && value !== null) return ok(value);
  if (typeof value !== 'string') return bad('invalid_type', '12.50 EUR');
  const text = value.trim();
  if (text.startsWith('{')) return jsonCell(text);
  const match = /^(?:([A-Z]{3})\s*)?([-+]?[\d\s\u00a0\u202f.,]+?)(?:\s*([A-Z]{3}))?$/.exec(text);
  const currency = match?.[1] ?? match?.[3];
  if (!match || !currency || (match[1] && match[3])) return bad('invalid_type', '12.50 EUR');
  return ok({ amount: numberText(match[2]!), currency });
}

/** Valeur d'une cellule pour le champ ; `undefined` : cellule vide. */
export function convertCell(field: FieldModel, value: unknown, order: DateOrder): Converted {
  if (value === undefined || value === null || value === '') return ok(undefined);
  if (typeof value === 'object' && value !== null && 'error' in value && Object.keys(value).length === 1) return bad('invalid_value');
  switch (field.type) {
    case 'integer': {
      const text = numberText(value);
      return text !== undefined && /^[-+]?\d+$/.test(text) ? ok(Number(text)) : bad('invalid_type', 'integer');
    }
    case 'decimal': {
      const text = numberText(value);
      return text !== undefined ? ok(text.replace(/^\+/, '')) : bad('invalid_type', 'decimal');
    }
    case 'money':
      return moneyCell(value);
    case 'boolean': {
      if (typeof value === 'boolean') return ok(value);
      const text = String(value).trim().toLowerCase();
      return TRUE.has(text) ? ok(true) : FALSE.has(text) ? ok(false) : bad('invalid_type', 'true / false');
    }
    case 'date':
      return ok(dateText(value, order) ?? value);
    case 'datetime':
      return ok(dateTimeText(value));
    case 'enum': {
      const text = String(value).trim();
      const values = field.def.options?.values ?? [];
      return ok(values.find((v) => v === text) ?? values.find((v) => v.toLowerCase() === text.toLowerCase()) ?? text);
    }
    case 'ref': case 'file':
      return ok(new RefTokens([String(value).trim()], false));
    case 'refs': {
      const list = listOf(value);
      return list && list.every((t) => typeof t === 'string') ? ok(new RefTokens(list as string[], true)) : bad('invalid_type', 'eid; eid; …');
    }
    case 'tags': {
      const list = listOf(value);
      return list ? ok(list.map((t) => (typeof t === 'string' ? t.trim() : t))) : bad('invalid_type', 'tag; tag; …');
    }
    case 'json':
      return jsonCell(value);
    case 'translatable':
      return typeof value === 'string' && value.trim().startsWith('{') ? jsonCell(value) : ok(value);
    case 'string': case 'text': case 'email': case 'phone': case 'url':
      return ok(typeof value === 'string' ? value : value instanceof Date ? isoDate(value) : String(value));
    default:
      return ok(value);
  }
}
