#!/usr/bin/env node
// Compile l'interface (frontend/dist) quand ses sources sont plus récentes que la dernière compilation :
// `npm start` et les tests de navigateur l'appellent, une compilation à jour ne coûte qu'un parcours de fichiers.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const frontend = join(root, 'frontend');
const stamp = join(frontend, 'dist', 'index.html');
const INPUTS = [join(frontend, 'src'), join(frontend, 'index.html'), join(frontend, 'vite.config.ts'), join(root, 'sdk', 'src'), join(root, 'package-lock.json')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

export async function buildFrontend({ force = false, quiet = false } = {}) {
  if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...INPUTS.map(newest))) return false;
  const { build } = await import('vite');
  const started = Date.now();
  // sous Vitest, NODE_ENV vaut 'test' : Vite garderait alors la version de développement de React
  const environment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(frontend, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  } finally {
    if (environment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = environment;
  }
  if (!quiet) console.log(`frontend built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildFrontend({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') });
}
