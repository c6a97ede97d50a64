// Valeurs hostiles pour le fuzzing de l'API : chaînes d'injection, unicode piégé, nombres extrêmes, JSON cassé,
// curseurs et versions falsifiés. Des arbitraires fast-check, tirés avec une graine fixe par le générateur de requêtes.
import fc from 'fast-check';

/** Littéral JSON écrit tel quel (nombres que JavaScript ne sait pas représenter : 1e999, entiers de 30 chiffres). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Sérialise une valeur en JSON, littéraux bruts compris ; les clés `__proto__` propres sont gardées. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Objet dont les clés `__proto__` ou `constructor` sont des propriétés propres (et non le prototype). */
export function ownObject(entries: Array<[string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

export const INJECTIONS = [
  "' OR '1'='1", "1; DROP TABLE app_user; --", '") OR 1=1 --', "'; SELECT pg_sleep(1); --", '$1', '%', '_', '\\',
  "x' UNION SELECT password_hash FROM app_user --", '{"$where":"1"}', '{{7*7}}', '${7*7}', '<script>alert(1)</script>',
  '../../../../etc/passwd', '..\\..\\windows\\win.ini', 'file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/',
  'null', 'undefined', 'NaN', 'Infinity', '-Infinity', 'true', '[]', '{}', '__proto__', 'constructor', 'prototype',
  '*', '=HYPERLINK("http://x")', '@SUM(1)', '\r\nSet-Cookie: x=1', 'admin@opsflux.local', '$user.id', '$user.companyIds',
] as const;

export const TRICKY_UNICODE = [
  '\u202Eevil\u202C', 'Ω≈ç√∫˜µ≤', '𝕏𝕐𝕫', '\uD800', 'a\uDFFFb', '\uFEFFbom', 'e\u0301\u0301\u0301', '\u0000', 'a\u0000b',
  '\u00A0\u2028\u2029', 'İıẞß', 'ﷺ', '👨‍👩‍👧‍👦', 'مرحبا', '\u0007\u001b[31m', '١٢٣', '\u200B', '\uFFFF',
] as const;

/** Nombres extrêmes, en littéraux JSON bruts ou en chaînes qui ressemblent à des nombres. */
export const EXTREME_NUMBERS: unknown[] = [
  1e308, -1e308, -1, -0, 0.5, 2 ** 53 + 2, -(2 ** 63), 2147483648, Number.MAX_SAFE_INTEGER,
  new RawJson('1e999'), new RawJson('-1e999'), new RawJson('123456789012345678901234567890'), new RawJson('1E-400'),
  new RawJson('-9223372036854775809'), 'NaN', 'Infinity', '-1e308', '0x1F', '1_000', ' 1', '1e5', '١٢٣', '9'.repeat(400),
];

const longString = fc.constantFrom(256, 1001, 10_000, 70_000).chain((n) =>
  fc.constantFrom('A', 'é', '𝕏', "'").map((unit) => unit.repeat(n)));

/** Chaîne hostile : injection, unicode piégé, très longue ou tirée au hasard (demi-paires comprises). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_UNICODE) },
  { weight: 2, arbitrary: longString },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
);

const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString');

/** Objet aux clés de pollution de prototype. */
export const pollutingObject: fc.Arbitrary<Record<string, unknown>> = prototypeKeys.map((key) =>
  ownObject([[key, ownObject([['polluted', true], ['isAdmin', true], ['prototype', ownObject([['polluted', true]])]])]]));

/** Valeur hostile quelconque (tous types JSON). */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, [null], [[[]]], ['x', 1, null, {}]) },
  { weight: 1, arbitrary: pollutingObject },
);

/** Textes présentés comme du JSON qui n'en sont pas : l'analyseur doit les refuser (400) avant toute route. */
export const MALFORMED_JSON = [
  '{', '{"a":', '{"a":1,}', "{'a':1}", '[1,2', '{"a":1}}', 'nul', '\u0000{}', '{"a":"\\x00"}', '', ' ',
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
] as const;

/** JSON valide mais inattendu : scalaires, nombre infini, demi-paire échappée, imbrication profonde, BOM. */
export const ODD_JSON = [
  '"just a string"', 'true', '123', 'null', '{"a":1e999}', '{"a":"\\ud800"}', '\uFEFF{}',
  '['.repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
] as const;

export const BROKEN_JSON = [...MALFORMED_JSON, ...ODD_JSON] as const;

/** Filtres JSON hostiles (paramètre `filter` des listes). */
export const HOSTILE_FILTERS: string[] = [
  JSON.stringify({ name: { like: "%' OR 1=1 --" } }), '{"or":[]}', '{"and":[]}', '{"not":{}}', 'null', '[]', '"x"', '1',
  '{"and":['.repeat(60) + '{}' + ']}'.repeat(60), '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}',
  JSON.stringify({ id: { in: Array.from({ length: 1500 }, (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`) } }),
  '{"id":"not-a-uuid"}', '{"createdAt":{"gte":"99999-12-31"}}', '{"version":{"gt":1e999}}', '{"version":{"gt":"NaN"}}',
  '{"version":123456789012345678901234567890}', JSON.stringify({ name: { like: '%a'.repeat(400) + 'b' } }),
  '{"name":{"ilike":"\\\\"}}', '{"name":{"eq":{"nested":1}}}', '{"name":{"in":"notarray"}}', '{"name":{"between":[1]}}',
  '{"parent.parent.parent.parent.parent.parent.name":"x"}', '{"createdBy.passwordHash":{"like":"%"}}',
  '{"tenantId":"00000000-0000-0000-0000-000000000000"}', '{"id":"$user.id"}', '{"name":"\\u0000"}', '{"name":"\\ud800"}',
  '{"deletedAt":{"null":"yes"}}', '{"name":{"like":null}}', '{"tags":{"eq":[1,{}]}}', '{"name"', '%7B',
];

/** Listes de champs ou de tris hostiles (`sort`, `fields`). */
export const HOSTILE_FIELD_LISTS = [
  '-', ',,,', 'name,name,name', 'name; DROP TABLE app_user; --', '(SELECT 1)', 'id,' + 'x'.repeat(5000), '--name',
  'passwordHash', 'password_hash', 'tenant_id', 'createdBy.passwordHash', '__proto__', 'name,' .repeat(500), '\u0000',
] as const;

/** Curseurs falsifiés (les vrais, tirés d'une autre liste, sont ajoutés par le test). */
export const FORGED_CURSORS = [
  'eyJzIjoiaWQiLCJ2IjpbIjEiXX0.forged', Buffer.from('{"v":["\' OR 1=1 --"],"s":"id"}').toString('base64url') + '.' + 'A'.repeat(43),
  '.', '..', 'A'.repeat(5000), "' OR 1=1 --", '%00', 'null', '{"v":[1]}', '\uD800',
] as const;

/** If-Match périmés ou mal formés (les enregistrements de la mise en place sont en version 1). */
export const STALE_IF_MATCH = ['"0"', '"-1"', '"999999999999999999999"', '"9999999999"', 'W/"0"', '"abc"', '""', '"1", "2"', 'garbage', `"${'9'.repeat(300)}"`] as const;
/** Phase ouverte : aussi les valeurs qui passent (`*` n'impose rien, "1" est la version courante au départ). */
export const ANY_IF_MATCH = [...STALE_IF_MATCH, '*', '"1"', 'W/"1"'] as const;

export const IDEMPOTENCY_KEYS = ['K'.repeat(300), 'clé-🔑', ' ', 'fuzz-reused-key', '\t', "' OR 1=1 --"] as const;

export const CONTENT_TYPES = [
  'text/plain', 'application/xml', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded',
  'multipart/form-data', 'application/json, text/plain', 'application/vnd.evil+json', 'application/json; boundary=x',
  'text/csv', 'application/octet-stream',
] as const;

export const HOSTILE_HEADERS: Array<[string, string]> = [
  ['accept-language', 'zz-ZZ;q=abc, *;q=-1'], ['accept-language', 'x'.repeat(5000)], ['x-request-id', 'bad id with spaces'],
  ['x-forwarded-for', 'not-an-ip'], ['x-forwarded-for', '999.999.999.999'], ['x-forwarded-for', '1.2.3.4, evil, ::1'],
  ['x-forwarded-for', '::ffff:169.254.169.254'], ['x-csrf-token', 'forged'], ['cookie', 'opsflux_session=forged; opsflux_csrf=x'],
  ['accept', 'application/xml'], ['range', 'bytes=999999999999-'], ['range', 'bytes=5-1'], ['range', 'bytes=0-0,' .repeat(200) + '0-0'],
];

/** Corps de fichiers téléversés : vides, tronqués, faux en-têtes d'image ou d'archive. */
export const HOSTILE_FILES: Array<{ name: string; type: string; content: Buffer }> = [
  { name: '../../../../etc/passwd', type: 'text/plain', content: Buffer.from('traversal attempt') },
  { name: 'empty.bin', type: 'application/octet-stream', content: Buffer.alloc(0) },
  { name: 'broken.png', type: 'image/png', content: Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 0xff)]) },
  { name: 'module.tgz', type: 'application/gzip', content: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.alloc(200, 0x41)]) },
  { name: 'a'.repeat(1000) + '.txt', type: 'text/plain', content: Buffer.from('long name') },
  { name: 'nul\u0000.txt', type: 'text/plain\u0000', content: Buffer.from('nul') },
  { name: 'évil‮gnp.exe', type: 'application/x-msdownload', content: Buffer.from('MZ') },
  { name: 'data.csv', type: 'text/csv', content: Buffer.from('name,"unclosed\n=cmd|\' /C calc\'!A0,\u0000\n') },
  { name: 'data.json', type: 'application/json', content: Buffer.from('[{"name":1e999},{"__proto__":{"x":1}}, {') },
  { name: 'data.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: Buffer.from('PK\u0003\u0004garbage') },
];

/** Textes CSV, XLIFF et formulaires hostiles. */
export const HOSTILE_CSV = [
  'date,base,quote,rate\n2024-01-01,EUR,USD,1e999\n', 'a,"unclosed\n', '\u0000,\u0000\n', '=cmd|\' /C calc\'!A0,1\n',
  'key,fr,en\n' + 'x,'.repeat(5000) + '\n', Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x41]).toString('latin1'), '',
] as const;

export const HOSTILE_XML = [
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xliff>&c;</xliff>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff><file><body><trans-unit id="x"><target>&e;</target></trans-unit></body></file></xliff>',
  '<xliff><file><body><trans-unit id="', '<' .repeat(10_000), '<xliff version="1.2"><file><body><trans-unit id="\u0000"><target>x</target></trans-unit></body></file></xliff>',
] as const;
