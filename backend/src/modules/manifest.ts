// Validation d'un manifeste de module avant toute exécution : schéma JSON publié par le SDK, puis règles semver.
import { createRequire } from 'node:module';
import type { FieldError, ModuleManifest } from '@opsflux/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import semver from 'semver';
import { message, type Locale } from '../text/messages.js';
import { schemaFieldErrors } from '../text/schema-errors.js';
import { validationFailed } from '../errors/problem.js';

const schema = createRequire(import.meta.url)('@opsflux/sdk/schema/module-manifest.schema.json') as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

export const MANIFEST_FILE = 'metadata.json';
/** taille par défaut (réglage `modules.manifest.maxKilobytes`) ; les manifestes livrés avec la plateforme y restent */
export const MAX_MANIFEST_BYTES = 256 * 1024;

const semverError = (field: string, locale: Locale, expected: string): FieldError => ({
  field, code: 'invalid_value', message: `${message(locale, 'invalid_value')} (${expected})`,
});

/** Erreurs de champ d'un manifeste (vide s'il est valide). */
export function manifestErrors(raw: unknown, locale: Locale = 'en'): FieldError[] {
  if (!validate(raw)) return schemaFieldErrors(validate.errors, '', locale);
  const manifest = raw as ModuleManifest;
  const errors: FieldError[] = [];
  if (!semver.valid(manifest.version)) errors.push(semverError('version', locale, 'semver version'));
  if (!semver.validRange(manifest.core)) errors.push(semverError('core', locale, 'semver range'));
  for (const key of ['dependencies', 'conflicts'] as const) {
    for (const [name, range] of Object.entries(manifest[key] ?? {})) {
      if (!semver.validRange(range)) errors.push(semverError(`${key}.${name}`, locale, 'semver range'));
      if (name === manifest.name) errors.push({ field: `${key}.${name}`, code: 'invalid_value', message: message(locale, 'invalid_value') });
    }
  }
  return errors;
}

/** Manifeste validé, ou 400 `validation_failed` avec les champs en cause. */
export function parseManifest(raw: unknown, locale: Locale = 'en'): ModuleManifest {
  const errors = manifestErrors(raw, locale);
  if (errors.length) throw validationFailed(errors);
  const manifest = raw as ModuleManifest;
  return { ...manifest, version: semver.clean(manifest.version)! };
}

/** Texte JSON d'un manifeste (taille bornée : `maxBytes`, en octets) → manifeste validé. */
export function parseManifestText(text: string, locale: Locale = 'en', maxBytes = MAX_MANIFEST_BYTES): ModuleManifest {
  if (Buffer.byteLength(text) > maxBytes) throw validationFailed([{ field: MANIFEST_FILE, code: 'too_long', message: message(locale, 'manifest_too_large', { max: maxBytes }) }]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw validationFailed([{ field: MANIFEST_FILE, code: 'invalid_type', message: message(locale, 'invalid_type', { expected: 'JSON' }) }]);
  }
  return parseManifest(raw, locale);
}
