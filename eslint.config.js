// Règles de lint : recommandations ESLint + typescript-eslint, strictes sur les variables inutilisées.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'logs/', 'backups/', 'bench/results/', 'coverage/', '**/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off', // tables dynamiques : Kysely<any> est voulu
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['frontend/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // couches : le moteur et les services ne connaissent pas HTTP (seules la racine de composition et le banc de modules l'assemblent)
    files: ['backend/src/**/*.ts'],
    ignores: ['backend/src/http/**', 'backend/src/main.ts', 'backend/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/http/*', './http/*'], message: 'Only the HTTP layer imports http/: move the shared code down (errors/, text/, engine/).' }],
      }],
    },
  },
  {
    // la machine d'intégration est une VM à deux cœurs chargée : le délai d'une seconde de expect.poll y échoue
    files: ['**/test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name='expect'][callee.property.name='poll'][arguments.length<2]",
        message: 'Give expect.poll an explicit timeout (backend/test/support/timeouts.ts).',
      }],
    },
  },
);
