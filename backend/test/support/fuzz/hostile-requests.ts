// Requêtes hostiles pour une opération OpenAPI : paramètres de chemin, de requête et d'en-tête, corps selon le type
// de média déclaré. Chaque requête porte une étiquette qui dit ce qui a été falsifié, pour le rapport.
import fc from 'fast-check';
import { multipart } from '../multipart.js';
import {
  ANY_IF_MATCH, BROKEN_JSON, CONTENT_TYPES, FORGED_CURSORS, HOSTILE_CSV, HOSTILE_FIELD_LISTS, HOSTILE_FILES, HOSTILE_FILTERS,
  HOSTILE_HEADERS, HOSTILE_XML, IDEMPOTENCY_KEYS, MALFORMED_JSON, STALE_IF_MATCH, hostileScalar, hostileString, toJsonText,
} from './hostile-values.js';
import type { Operation, Parameter } from './openapi-operations.js';
import { hostileValue, jsonBody, plausibleValue, type ValueSources } from './schema-values.js';

export interface HostileRequest {
  operation: string;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  label: string;
}

export interface RequestSources extends ValueSources {
  /** valeurs réelles d'un paramètre de chemin (ids, clés, noms), pour atteindre le code derrière la recherche */
  pathValues(template: string, param: string): string[];
  /** vrais curseurs d'autres listes */
  cursors: string[];
}

/** Segment de chemin brut (encodage déjà fait, ou volontairement faux). */
class RawSegment {
  constructor(readonly text: string) {}
}

const RAW_PATH_VALUES = ['%zz', '%E0%A4%A', '%00', '..', '.', '%2e%2e%2f%2e%2e%2fapi', 'a%2Fb', 'x'.repeat(400)].map((t) => new RawSegment(t));

/** Encodage pour-cent des octets UTF-8 (une demi-paire devient U+FFFD au lieu de faire échouer encodeURIComponent). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Valeur d'en-tête telle qu'elle arrive du réseau : octets UTF-8 lus en latin-1, sans CR, LF ni NUL. */
function headerValue(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1').replace(/[\r\n\0]/g, ' ');
}

function pathValue(op: Operation, param: Parameter, sources: RequestSources, forgedOnly: boolean): fc.Arbitrary<{ text: string; label: string }> {
  const known = forgedOnly ? [] : sources.pathValues(op.template, param.name);
  const forged = fc.oneof(
    fc.uuid({ version: 7 }).map((v) => ({ text: v, label: 'forged-uuid' })),
    ...(sources.foreignIds.length ? [fc.constantFrom(...sources.foreignIds).map((v) => ({ text: v, label: 'other-tenant-id' }))] : []),
    hostileString.map((v) => ({ text: percentEncode(v), label: 'hostile' })),
    ...(forgedOnly ? [] : [fc.constantFrom(...RAW_PATH_VALUES).map((v) => ({ text: v.text, label: 'raw' }))]),
  );
  if (known.length === 0) return forged;
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...known).map((v) => ({ text: percentEncode(v), label: 'known' })) }, { weight: 1, arbitrary: forged });
}

function queryValue(param: Parameter, sources: RequestSources): fc.Arbitrary<string> {
  const asText = (v: unknown) => (typeof v === 'string' ? v : toJsonText(v));
  const hostile = hostileValue(param.schema, sources).map(asText);
  switch (param.name) {
    case 'filter': return fc.oneof(fc.constantFrom(...HOSTILE_FILTERS), hostile);
    case 'sort':
    case 'fields': return fc.oneof(fc.constantFrom(...HOSTILE_FIELD_LISTS), hostile);
    case 'cursor':
    case 'before':
    case 'lastEventId': return fc.constantFrom(...FORGED_CURSORS, ...sources.cursors);
  }
  return fc.oneof({ weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: plausibleValue(param.schema, sources).map(asText) });
}

/** Chaîne de requête : une partie des paramètres déclarés, parfois un inconnu, un doublon ou un encodage faux. */
function queryString(op: Operation, sources: RequestSources): fc.Arbitrary<{ text: string; label: string[] }> {
  const declared = op.parameters.filter((p) => p.in === 'query');
  const pairs = fc.tuple(...declared.map((p) => fc.option(queryValue(p, sources).map((v): [string, string] => [p.name, v]), { freq: 2 })));
  const extra = fc.option(fc.constantFrom<[string, string, string]>(
    ['drop', '1', 'unknown-param'], ['__proto__', 'x', 'proto-param'], ['limit', '1&limit=2', 'duplicate-param'],
    ['x', '%zz', 'bad-encoding'], ['filter', '{}&filter={}', 'duplicate-filter'],
  ), { freq: 4 });
  return fc.tuple(pairs, extra).map(([chosen, more]) => {
    const present = chosen.filter((p): p is [string, string] => p !== null);
    const parts = present.map(([k, v]) => `${k}=${percentEncode(v)}`);
    if (more) parts.push(`${more[0]}=${more[1]}`);
    const label = present.map(([k]) => `query:${k}`);
    if (more) label.push(more[2]);
    return { text: parts.length ? `?${parts.join('&')}` : '', label };
  });
}

/** En-têtes déclarés par l'opération (If-Match, Idempotency-Key, Range, Last-Event-ID…), chacun présent ou non. */
function declaredHeaders(op: Operation): fc.Arbitrary<Array<[string, string]>> {
  const header = (p: Parameter): fc.Arbitrary<[string, string] | null> => {
    switch (p.name.toLowerCase()) {
      case 'if-match': return fc.option(fc.constantFrom(...ANY_IF_MATCH).map((v): [string, string] => ['if-match', v]), { freq: 3 });
      case 'idempotency-key': return fc.option(fc.constantFrom(...IDEMPOTENCY_KEYS).map((v): [string, string] => ['idempotency-key', v]), { freq: 2 });
      default: return fc.option(hostileString.map((v): [string, string] => [p.name.toLowerCase(), v]), { freq: 2 });
    }
  };
  const headers = op.parameters.filter((p) => p.in === 'header');
  return fc.tuple(...headers.map(header)).map((list) => list.filter((h): h is [string, string] => h !== null));
}

interface Body {
  payload?: string | Buffer;
  contentType?: string;
  label: string;
}

/** Corps selon le type de média déclaré : JSON hostile ou cassé, fichier piégé, CSV, XML ou formulaire. */
function body(op: Operation, sources: RequestSources): fc.Arbitrary<Body> {
  const media = Object.entries(op.body?.media ?? {});
  const broken = fc.constantFrom(...BROKEN_JSON).map((text): Body => ({ payload: text, contentType: 'application/json', label: 'broken-json' }));
  if (media.length === 0) {
    // opération sans corps : rien le plus souvent, parfois un corps qu'elle ne devrait pas lire
    return fc.oneof({ weight: 3, arbitrary: fc.constant<Body>({ label: 'no-body' }) }, { weight: 1, arbitrary: broken },
      { weight: 1, arbitrary: hostileScalar.map((v): Body => ({ payload: toJsonText(v), contentType: 'application/json', label: 'unexpected-body' })) });
  }
  const forMedia = media.map(([type, schema]): fc.Arbitrary<Body> => {
    if (type === 'application/json') {
      return fc.oneof({ weight: 6, arbitrary: jsonBody(schema, sources).map((b): Body => ({ payload: toJsonText(b.value), contentType: type, label: `json:${b.label}` })) }, { weight: 1, arbitrary: broken });
    }
    if (type === 'multipart/form-data') {
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FILES).map((f): Body => ({ ...multipart(f.content, f.name, f.type), label: `file:${f.name.slice(0, 20)}` })) },
        { weight: 1, arbitrary: fc.constantFrom<Body>(
          { payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nno end', contentType: 'multipart/form-data; boundary=b', label: 'multipart:unterminated' },
          { payload: '--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nvalue\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b', label: 'multipart:no-file' },
          { payload: 'garbage', contentType: 'multipart/form-data', label: 'multipart:no-boundary' },
          { payload: '--b\r\n\r\n\r\n--b--', contentType: 'multipart/form-data; boundary=c', label: 'multipart:wrong-boundary' },
        ) },
      );
    }
    if (type === 'application/x-www-form-urlencoded') {
      return fc.tuple(fc.oneof(hostileString, fc.constantFrom(...HOSTILE_XML).map((x) => Buffer.from(x).toString('base64'))), hostileString)
        .map(([saml, relay]): Body => ({ payload: `SAMLResponse=${percentEncode(saml)}&RelayState=${percentEncode(relay)}`, contentType: type, label: 'form:hostile' }));
    }
    if (type.includes('xml')) return fc.constantFrom(...HOSTILE_XML).map((text): Body => ({ payload: text, contentType: type, label: 'xml:hostile' }));
    return fc.constantFrom(...HOSTILE_CSV).map((text): Body => ({ payload: Buffer.from(text, 'latin1'), contentType: type, label: 'text:hostile' }));
  });
  const wrongType = fc.tuple(fc.constantFrom(...CONTENT_TYPES), hostileScalar).map(([contentType, v]): Body => ({ payload: toJsonText(v), contentType, label: `content-type:${contentType}` }));
  return fc.oneof({ weight: 6, arbitrary: fc.oneof(...forMedia) }, { weight: 1, arbitrary: wrongType });
}

function assemble(op: Operation, path: Array<{ text: string; label: string }>, query: { text: string; label: string[] }, headers: Array<[string, string]>, b: Body, extraLabels: string[]): HostileRequest {
  let index = 0;
  const url = op.template.replace(/\{[^}]+\}/g, () => path[index++]!.text) + query.text;
  const all: Record<string, string> = {};
  for (const [name, value] of headers) all[name] = headerValue(value);
  if (b.contentType) all['content-type'] = b.contentType;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const label = [
    ...path.map((p, i) => `path:${pathParams[i]?.name ?? i}=${p.label}`), ...query.label, ...headers.map(([h]) => `header:${h}`), b.label, ...extraLabels,
  ].join(' ');
  return { operation: op.key, method: op.method, url, headers: all, ...(b.payload === undefined ? {} : { payload: b.payload }), label };
}

function pathParams(op: Operation): Parameter[] {
  // l'ordre des paramètres de chemin suit le gabarit
  const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  return names.map((name) => op.parameters.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path', required: true, schema: { type: 'string' } });
}

/** Requête hostile quelconque pour l'opération (phase ouverte : des écritures peuvent réussir). */
export function hostileRequest(op: Operation, sources: RequestSources): fc.Arbitrary<HostileRequest> {
  const extra = fc.option(fc.constantFrom(...HOSTILE_HEADERS), { freq: 4 });
  return fc.tuple(fc.tuple(...pathParams(op).map((p) => pathValue(op, p, sources, false))), queryString(op, sources), declaredHeaders(op), extra, body(op, sources))
    .map(([path, query, headers, more, b]) => assemble(op, path, query, more ? [...headers, more] : headers, b, more ? [`extra:${more[0]}`] : []));
}

/**
 * Requêtes qu'aucune implémentation correcte n'accepte, pour la phase refusée d'un administrateur : JSON cassé,
 * type de média sans analyseur, identifiant falsifié ou d'un autre tenant, If-Match périmé.
 */
export function refusedRequest(op: Operation, sources: RequestSources): fc.Arbitrary<HostileRequest> {
  const params = pathParams(op);
  const noQuery = { text: '', label: [] as string[] };
  const known = fc.tuple(...params.map((p) => pathValue(op, p, sources, false)));
  const kinds: Array<fc.Arbitrary<HostileRequest>> = [
    fc.tuple(known, fc.constantFrom(...MALFORMED_JSON)).map(([path, text]) =>
      assemble(op, path, noQuery, [], { payload: text, contentType: 'application/json', label: 'malformed-json' }, [])),
    fc.tuple(known, fc.constantFrom('application/vnd.evil+json', 'image/gif')).map(([path, contentType]) =>
      // types de média sans analyseur (application/xml en a un : celui de l'import XLIFF)
      assemble(op, path, noQuery, [], { payload: '{}', contentType, label: `unsupported:${contentType}` }, [])),
  ];
  const idParams = params.filter((p) => /^(id|linkId|deliveryId)$/.test(p.name));
  if (idParams.length) {
    kinds.push(fc.tuple(fc.tuple(...params.map((p) => pathValue(op, p, sources, idParams.includes(p)))), body(op, sources)).map(([path, b]) =>
      assemble(op, path, noQuery, [], b, ['forged-id'])));
  }
  if (op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match') && params.length) {
    const stale = fc.tuple(known, fc.constantFrom(...STALE_IF_MATCH), body(op, sources)).map(([path, ifMatch, b]) =>
      assemble(op, path, noQuery, [['if-match', ifMatch]], b, ['stale-if-match']));
    kinds.push(stale);
  }
  return fc.oneof(...kinds);
}
