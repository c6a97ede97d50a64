// Vérification AWS Signature V4 (en-tête Authorization) écrite d'après la spécification publique d'AWS, sans la
// bibliothèque qui signe dans le produit (aws4fetch) : une erreur commune au signataire et au vérificateur ne peut
// pas passer. Requête canonique, chaîne à signer, clé dérivée (date → région → service → aws4_request), comparaison
// en temps constant ; règles de S3 : chemin encodé une seule fois, `x-amz-content-sha256` exigé et signé.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SignedRequest {
  method: string;
  /** chemin et requête tels que reçus (`/compartiment/clé?x=1`) */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4Verdict = { ok: true } | { ok: false; reason: string };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
/** écart d'horloge toléré par S3 (RequestTimeTooSkewed au-delà) */
const MAX_SKEW_MS = 15 * 60_000;

/** UriEncode d'AWS : tout octet sauf A-Z a-z 0-9 - _ . ~ en %XX majuscules. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function canonicalUri(path: string): string {
  return path.split('/').map((segment) => uriEncode(decodeURIComponent(segment))).join('/') || '/';
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query.split('&').filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [uriEncode(decodeURIComponent(key)), uriEncode(decodeURIComponent(value))] as const;
    })
    .sort(([k1, v1], [k2, v2]) => (k1 === k2 ? (v1 < v2 ? -1 : v1 > v2 ? 1 : 0) : k1 < k2 ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
};

/** Clé de signature dérivée du secret pour une date (AAAAMMJJ), une région et un service. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** Requête canonique d'AWS pour les en-têtes signés donnés (noms en minuscules, dans l'ordre de SignedHeaders). */
export function canonicalRequest(request: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const mark = request.url.indexOf('?');
  const [path, query] = mark < 0 ? [request.url, ''] : [request.url.slice(0, mark), request.url.slice(mark + 1)];
  const headers = signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`).join('');
  return [request.method.toUpperCase(), canonicalUri(path), canonicalQuery(query), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/** Vérifie la signature V4 d'une requête reçue par un service S3. */
export function verifySigV4(request: SignedRequest, credentials: SigV4Credentials, now = new Date()): SigV4Verdict {
  const match = AUTHORIZATION.exec(headerValue(request.headers, 'authorization') ?? '');
  if (!match) return { ok: false, reason: 'malformed Authorization header' };
  const [, accessKeyId, date, region, service, signedList, signature] = match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) return { ok: false, reason: 'unknown access key' };
  if (service !== 's3') return { ok: false, reason: `service ${service} in the credential scope` };
  const signedHeaders = signedList!.split(';');
  const sorted = [...signedHeaders].sort();
  if (signedHeaders.some((name, i) => name !== sorted[i]) || new Set(signedHeaders).size !== signedHeaders.length) {
    return { ok: false, reason: 'SignedHeaders not sorted or repeated' };
  }
  const unsigned = ['host', 'x-amz-date', 'x-amz-content-sha256', ...Object.keys(request.headers).filter((name) => name.startsWith('x-amz-'))]
    .filter((name) => !signedHeaders.includes(name));
  if (unsigned.length) return { ok: false, reason: `headers not signed: ${unsigned.join(', ')}` };
  if (signedHeaders.some((name) => headerValue(request.headers, name) === undefined)) return { ok: false, reason: 'a signed header is missing' };
  const amzDate = headerValue(request.headers, 'x-amz-date')!;
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!time || amzDate.slice(0, 8) !== date) return { ok: false, reason: 'x-amz-date does not match the credential scope' };
  const at = Date.UTC(+time[1]!, +time[2]! - 1, +time[3]!, +time[4]!, +time[5]!, +time[6]!);
  if (Math.abs(now.getTime() - at) > MAX_SKEW_MS) return { ok: false, reason: 'request time too skewed' };
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256')!;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest(request, signedHeaders, payloadHash))].join('\n');
  const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, date!, region!, service)).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
