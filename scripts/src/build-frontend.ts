// Compile l'interface (frontend/dist) et celles des modules du dépôt (modules/*/frontend) quand leurs sources sont plus
// récentes que la dernière compilation : `npm start` et les tests de navigateur l'appellent ; à jour, il ne coûte
// qu'un parcours de fichiers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip as gzipCallback } from 'node:zlib';
import { buildModuleFrontend, frontendSource } from './modules/frontend.ts';

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCallback);
const root = fileURLToPath(new URL('../../', import.meta.url));
const frontend = join(root, 'frontend');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => (name === 'dist' || name === 'node_modules' ? max : Math.max(max, newest(join(path, name)))), stat.mtimeMs);
}

const stale = (output: string, inputs: string[]) => !existsSync(output) || statSync(output).mtimeMs < Math.max(...inputs.map(newest));

/** Fichiers compressés à l'avance (.br, .gz) que le serveur envoie au navigateur qui les accepte. */
async function precompress(dir: string): Promise<void> {
  const files = readdirSync(dir).filter((name) => /\.(js|mjs|css|json|svg)$/.test(name) && statSync(join(dir, name)).size > 1024);
  await Promise.all(files.map(async (name) => {
    const content = await readFile(join(dir, name));
    const [br, gz] = await Promise.all([
      brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
      gzip(content, { level: 9 }),
    ]);
    await Promise.all([writeFile(join(dir, `${name}.br`), br), writeFile(join(dir, `${name}.gz`), gz)]);
  }));
}

async function buildShell(quiet: boolean): Promise<void> {
  const { build } = await import('vite');
  // sous Vitest, NODE_ENV vaut 'test' : Vite garderait alors la version de développement de React
  const environment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(frontend, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
    await precompress(join(frontend, 'dist', 'assets'));
  } finally {
    if (environment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = environment;
  }
}

/** Interfaces des modules livrés dans modules/ : construites là où leur manifeste les attend. */
async function buildModules(force: boolean): Promise<string[]> {
  const built: string[] = [];
  const modules = join(root, 'modules');
  for (const name of existsSync(modules) ? readdirSync(modules) : []) {
    const dir = join(modules, name);
    const source = frontendSource(dir);
    if (!source || !existsSync(join(dir, 'metadata.json'))) continue;
    const entry = (JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { frontend?: { entry: string } }).frontend?.entry;
    if (!entry) continue;
    const output = join(dir, entry);
    if (!force && !stale(output, [dirname(source), join(root, 'sdk', 'src')])) continue;
    await buildModuleFrontend(source, output);
    built.push(name);
  }
  return built;
}

export async function buildFrontend({ force = false, quiet = false } = {}): Promise<boolean> {
  const started = Date.now();
  const shell = force || stale(join(frontend, 'dist', 'index.html'), [join(frontend, 'src'), join(frontend, 'index.html'), join(frontend, 'vite.config.ts'), join(root, 'sdk', 'src'), join(root, 'package-lock.json')]);
  if (shell) await buildShell(quiet);
  const modules = await buildModules(force);
  if (!quiet && (shell || modules.length)) console.log(`frontend built in ${((Date.now() - started) / 1000).toFixed(1)} s${modules.length ? ` (modules: ${modules.join(', ')})` : ''}`);
  return shell || modules.length > 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildFrontend({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') });
}
