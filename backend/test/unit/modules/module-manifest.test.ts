// Manifestes de modules : schéma publié, versions et plages semver, erreurs de champ en français et en anglais,
// et découpage des migrations SQL en instructions.
import { describe, expect, it } from 'vitest';
import { manifestErrors, parseManifest, parseManifestText } from '../../../src/modules/manifest.js';
import { splitStatements } from '../../../src/modules/loader.js';

const valid = { name: 'crm', version: '1.2.0', label: { en: 'CRM', fr: 'GRC' }, core: '>=0.1.0 <1.0.0', dependencies: { base: '^1.0.0' } };

describe('module manifest', () => {
  it('accepts a valid manifest and normalises its version', () => {
    expect(manifestErrors(valid)).toEqual([]);
    expect(parseManifest({ ...valid, version: 'v1.2.0' }).version).toBe('1.2.0');
  });

  it('names each invalid field', () => {
    const errors = manifestErrors({ ...valid, name: 'Bad Name', extra: 1, label: {} }, 'fr');
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'name', code: 'pattern' }),
      expect.objectContaining({ field: 'extra', code: 'unknown_field', message: 'Champ inconnu « extra ».' }),
      expect.objectContaining({ field: 'label.en', code: 'required' }),
    ]));
    expect(manifestErrors({ ...valid, version: 'one', core: 'not a range ((' }).map((e) => e.field)).toEqual(['version', 'core']);
    expect(manifestErrors({ ...valid, dependencies: { crm: '*' } })[0]).toMatchObject({ field: 'dependencies.crm' });
    expect(manifestErrors({ ...valid, translations: { fr: '../../etc/passwd' } })[0]).toMatchObject({ field: 'translations.fr', code: 'pattern' });
    expect(manifestErrors({ ...valid, entities: 'crm_lead' })[0]).toMatchObject({ field: 'entities', code: 'invalid_type' });
    expect(manifestErrors(null)[0]).toMatchObject({ code: 'invalid_type' });
  });

  it('refuses text that is not JSON or too large', () => {
    expect(() => parseManifestText('{ nope')).toThrow(/invalid/i);
    expect(() => parseManifestText(JSON.stringify({ ...valid, description: { en: 'x'.repeat(300_000) } }))).toThrow();
  });

  it('splits migrations on semicolons at the end of lines, keeping function bodies whole', () => {
    const text = [
      '-- commentaire',
      'CREATE TABLE t (a int);',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$',
      'BEGIN',
      '  RETURN 1;',
      'END;',
      '$$;',
      'INSERT INTO t VALUES (1)',
    ].join('\n');
    expect(splitStatements(text)).toEqual([
      'CREATE TABLE t (a int)',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$',
      'INSERT INTO t VALUES (1)',
    ]);
  });
});
