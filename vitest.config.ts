import { defineConfig } from 'vitest/config';

// Projets : unitaires (sans base), intégration et modules (PGlite, puis serveur PostgreSQL via scripts/run-tests.mjs),
// bout en bout dans un navigateur.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['backend/test/unit/**/*.test.ts', 'sdk/test/**/*.test.ts', 'scripts/test/**/*.test.ts', 'frontend/test/unit/**/*.test.ts'],
          exclude: ['scripts/test/cli.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // la CLI lancée en processus sur une base embarquée : le fichier le plus long de la suite, dans un projet à part
        // dont le nom passe devant les autres (les projets sont ordonnés par nom) pour qu'il commence en premier
        test: {
          name: 'cli',
          include: ['scripts/test/cli.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['backend/test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'modules',
          include: ['modules/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        // navigateur réel (Chromium de Debian) contre un vrai serveur : sur PGlite seulement (voir scripts/run-tests.mjs)
        test: {
          name: 'e2e',
          include: ['frontend/test/e2e/**/*.test.ts'],
          globalSetup: ['frontend/test/e2e/support/global-setup.ts'],
          // un navigateur et un serveur à la fois : des attentes stables sur deux cœurs
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
    ],
  },
});
