// Interface d'un module : un module ES construit avec esbuild, les modules prêtés par la coquille laissés en imports
// nus (la carte d'import de la page les résout vers ceux de l'application).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHELL_MODULES } from '@opsflux/sdk';
import { build } from 'esbuild';

const FRONTEND_SOURCES = ['frontend/index.tsx', 'frontend/index.ts', 'frontend/index.jsx', 'frontend/index.js'];

/** Source de l'interface d'un dossier de module, s'il en a une à construire. */
export function frontendSource(dir: string): string | undefined {
  const source = FRONTEND_SOURCES.find((f) => existsSync(join(dir, f)));
  return source && join(dir, source);
}

export async function buildModuleFrontend(source: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [source], outfile, bundle: true, platform: 'browser', format: 'esm', target: 'es2022', jsx: 'automatic',
    external: [...SHELL_MODULES], minify: true, logLevel: 'silent', legalComments: 'none',
  });
}
