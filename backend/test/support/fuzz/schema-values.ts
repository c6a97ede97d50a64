// Valeurs dérivées d'un schéma JSON : plausibles (pour passer la validation et atteindre le code plus profond) ou
// hostiles (mauvais type, hors bornes, format faux), et corps entiers qui mêlent les deux.
import fc from 'fast-check';
import { EXTREME_NUMBERS, hostileScalar, hostileString, ownObject, pollutingObject } from './hostile-values.js';
import type { Schema } from './openapi-operations.js';

export interface ValueSources {
  resolve(schema: Schema | undefined): Schema;
  /** identifiants existants d'une entité (champs `x-ref-entity`) */
  idsOf(entity: string): string[];
  /** identifiants d'enregistrements d'un autre tenant */
  foreignIds: string[];
}

const MAX_DEPTH = 3;
const PATTERN_CANDIDATES = ['EUR', '12.50', 'fuzz_item', '+33 1 23 45 67 89', 'x', 'a1', '0 0 * * *', 'fr', '2024-01-31'];

/** Type principal d'un schéma (`["string","null"]` → string). */
function mainType(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null');
  if (typeof schema.type === 'string') return schema.type;
  if (schema.properties) return 'object';
  return undefined;
}

/** Motif JSON Schema (ECMA-262) ; certains ne sont valides que sans le drapeau `u`. */
function patternOf(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch {
    return new RegExp(source);
  }
}

function plausibleString(schema: Schema, sources: ValueSources): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid': {
      const ids = schema['x-ref-entity'] ? sources.idsOf(schema['x-ref-entity']) : [];
      return ids.length ? fc.constantFrom(...ids) : fc.uuid({ version: 7 });
    }
    case 'date': return fc.constantFrom('2024-02-29', '2025-12-31');
    case 'date-time': return fc.constantFrom('2024-02-29T12:00:00Z', '2030-01-01T00:00:00+02:00');
    case 'email': return fc.integer({ min: 1, max: 9999 }).map((n) => `fuzz${n}@example.test`);
    case 'uri': return fc.constant('https://example.test/fuzz');
    case 'binary': return fc.constant('file');
  }
  if (typeof schema.pattern === 'string') {
    const pattern = patternOf(schema.pattern);
    return fc.constant(PATTERN_CANDIDATES.find((c) => pattern.test(c)) ?? 'x');
  }
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 40;
  return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).map((s) => `fuzz ${s}`.slice(0, Math.max(1, max)));
}

/** Valeur qui a des chances d'être acceptée par le schéma. */
export function plausibleValue(raw: Schema | undefined, sources: ValueSources, depth = 0): fc.Arbitrary<unknown> {
  const schema = sources.resolve(raw);
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.oneOf) && schema.oneOf.length) return plausibleValue(schema.oneOf[0], sources, depth);
  switch (mainType(schema)) {
    case 'string': return plausibleString(schema, sources);
    case 'integer':
    case 'number': return fc.constant(Math.min(Math.max(1, schema.minimum ?? 1), schema.maximum ?? 1));
    case 'boolean': return fc.boolean();
    case 'array': return depth >= MAX_DEPTH ? fc.constant([]) : fc.array(plausibleValue(schema.items, sources, depth + 1), { maxLength: 2 });
    case 'object': return depth >= MAX_DEPTH ? fc.constant({}) : plausibleObject(schema, sources, depth + 1);
    default: return fc.constantFrom<unknown>('x', 1, true, { a: 1 }, null);
  }
}

/** Objet aux propriétés requises plausibles, plus une partie des facultatives. */
function plausibleObject(schema: Schema, sources: ValueSources, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries<Schema>(schema.properties ?? {});
  const required = new Set<string>(schema.required ?? []);
  if (properties.length === 0) return fc.constant({});
  return fc.tuple(...properties.map(([name, s]) => fc.tuple(fc.constant(name), plausibleValue(s, sources, depth), fc.boolean())))
    .map((entries) => ownObject(entries.filter(([name, , keep]) => required.has(name) || keep).map(([name, value]) => [name, value])));
}

/** Valeur faite pour être refusée par le schéma : mauvais type, hors bornes, format ou énumération faux. */
export function hostileValue(raw: Schema | undefined, sources: ValueSources, depth = 0): fc.Arbitrary<unknown> {
  const schema = sources.resolve(raw);
  const wrongType = fc.oneof(hostileScalar, fc.constantFrom<unknown>(12, 'text', true, [], {}, null));
  const specific: Array<fc.Arbitrary<unknown>> = [];
  if (Array.isArray(schema.enum)) specific.push(fc.constantFrom(...schema.enum.filter((v: unknown) => typeof v === 'string').map((v: string) => v.toUpperCase()), 'not-in-enum'));
  switch (mainType(schema)) {
    case 'string':
      if (typeof schema.maxLength === 'number') specific.push(fc.constant('A'.repeat(schema.maxLength + 1)));
      if (schema.format === 'uuid') specific.push(fc.oneof(fc.uuid({ version: 4 }), fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', ...sources.foreignIds)));
      if (schema.format === 'date' || schema.format === 'date-time') specific.push(fc.constantFrom('2024-02-30', '99999-01-01', '0000-00-00', '2024-02-29T25:61:00Z', '1970-01-01T00:00:00', '-infinity', 'epoch'));
      if (schema.format === 'email') specific.push(fc.constantFrom('a@b', '@example.test', 'x@' + 'y'.repeat(300) + '.test', '"a b"@example.test', 'a@example.test\u0000'));
      specific.push(hostileString);
      break;
    case 'integer':
    case 'number':
      specific.push(fc.constantFrom(...EXTREME_NUMBERS, (schema.minimum ?? 0) - 1, (schema.maximum ?? 2 ** 31) + 1, 1.5));
      break;
    case 'boolean':
      specific.push(fc.constantFrom<unknown>('true', 1, 'yes', 0));
      break;
    case 'array':
      specific.push(fc.array(hostileScalar, { minLength: 1, maxLength: 3 }), fc.constant(Array.from({ length: (schema.maxItems ?? 1000) + 1 }, () => 'x')));
      if (depth < MAX_DEPTH && schema.items) specific.push(fc.array(hostileValue(schema.items, sources, depth + 1), { minLength: 1, maxLength: 2 }));
      break;
    case 'object':
      specific.push(pollutingObject);
      if (depth < MAX_DEPTH && schema.properties) specific.push(hostileObject(schema, sources, depth + 1).map((b) => b.value));
      break;
  }
  return fc.oneof(wrongType, ...specific);
}

export interface GeneratedBody {
  value: unknown;
  label: string;
}

/** Corps d'objet hostile : un champ faux parmi des valeurs plausibles, tout faux, requis absents, clés en trop… */
export function hostileObject(raw: Schema | undefined, sources: ValueSources, depth = 0): fc.Arbitrary<GeneratedBody> {
  const schema = sources.resolve(raw);
  const properties = Object.entries<Schema>(schema.properties ?? {});
  const base = plausibleObject(schema, sources, depth);
  const modes: Array<fc.Arbitrary<GeneratedBody>> = [
    fc.tuple(base, pollutingObject, hostileString).map(([b, p, key]) => ({ value: ownObject([...Object.entries(b), ...Object.entries(p), [key, 1]]), label: 'extra-properties' })),
    hostileScalar.map((value) => ({ value, label: 'not-an-object' })),
  ];
  if (properties.length) {
    modes.push(
      fc.tuple(base, fc.constantFrom(...properties)).chain(([b, [name, s]]) =>
        hostileValue(s, sources, depth).map((bad) => ({ value: ownObject([...Object.entries(b).filter(([k]) => k !== name), [name, bad]]), label: `bad-field(${name})` }))),
      fc.tuple(...properties.map(([name, s]) => hostileValue(s, sources, depth).map((v): [string, unknown] => [name, v])))
        .map((entries) => ({ value: ownObject(entries), label: 'all-fields-bad' })),
    );
  }
  if ((schema.required ?? []).length) {
    modes.push(base.map((b) => ({ value: ownObject(Object.entries(b).filter(([k]) => !schema.required.includes(k))), label: 'missing-required' })));
  }
  return fc.oneof(...modes);
}

/** Corps JSON d'une opération : surtout hostile, parfois plausible (pour que des écritures réussissent aussi). */
export function jsonBody(schema: Schema | undefined, sources: ValueSources): fc.Arbitrary<GeneratedBody> {
  const resolved = sources.resolve(schema);
  const plausible = plausibleValue(resolved, sources).map((value) => ({ value, label: 'plausible' }));
  const hostile = mainType(resolved) === 'object' || resolved.properties
    ? hostileObject(resolved, sources)
    : hostileValue(resolved, sources).map((value) => ({ value, label: 'bad-value' }));
  return fc.oneof({ weight: 5, arbitrary: hostile }, { weight: 1, arbitrary: plausible });
}
