// Règles de lint : recommandations ESLint + typescript-eslint, strictes sur les variables inutilisées.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// la couche HTTP : seule à importer http/ ; elle reçoit des services (PlatformServices), pas la plateforme
const HTTP_LAYER = ['backend/src/http/**'];
// fichiers qui ouvrent la plateforme et lui donnent HTTP : le point d'entrée, le banc de modules
const ENTRY_POINTS = ['backend/src/main.ts', 'backend/src/testing/**'];
// fichiers du backend qui citent la plateforme sans HTTP : la racine de composition, la face publique du paquet
const PLATFORM_ALLOWED = ['backend/src/core/platform.ts', 'backend/src/index.ts'];
const NO_HTTP = { group: ['**/http/*', './http/*'], message: 'Only the HTTP layer imports http/: move the shared code down (errors/, text/, engine/).' };
const NO_PLATFORM = {
  group: ['**/core/platform.js', '**/core/platform', './platform.js', '../platform.js'],
  message: 'Do not take the Platform: declare a narrow dependency interface next to your code (the services you use, typed with their own types); the composition root (core/platform.ts) wires them.',
};

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
    // couches : le moteur et les services ne connaissent ni HTTP ni la plateforme ; ils déclarent des dépendances étroites
    // que la racine de composition (core/platform.ts) leur passe
    files: ['backend/src/**/*.ts'],
    ignores: [...HTTP_LAYER, ...ENTRY_POINTS, ...PLATFORM_ALLOWED],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_HTTP, NO_PLATFORM] }] },
  },
  {
    // chaque domaine de routes déclare les services qu'il utilise (`Pick<PlatformServices, …>`)
    files: HTTP_LAYER,
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_PLATFORM] }] },
  },
  {
    // la racine de composition et la face publique du paquet citent la plateforme, pas HTTP
    // (en configuration à plat, un bloc qui reprend la règle pour un fichier en remplace les options : blocs disjoints)
    files: PLATFORM_ALLOWED,
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_HTTP] }] },
  },
  {
    // face publique du backend : hors de backend/, `@opsflux/backend` (src/index.ts) et le banc de modules seulement
    // (fichiers disjoints du bloc des couches ci-dessus : la même règle ne s'y écrase pas)
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['backend/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^@opsflux/backend/(?!testing/)',
          message: "Import the backend through '@opsflux/backend' (backend/src/index.ts; add the export there) or '@opsflux/backend/testing/*'.",
        }],
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
