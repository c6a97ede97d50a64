// Construction d'un paquet de module (.tgz) : manifeste validé, code serveur empaqueté avec esbuild (le SDK compris,
// aucune dépendance à résoudre chez l'hôte), interface construite en module ES, migrations et traductions copiées.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModuleManifest } from '@opsflux/sdk';
import { build } from 'esbuild';
import { create } from 'tar';
import { BUNDLED_BACKEND, MANIFEST_FILE, parseManifestText } from '@opsflux/backend';
import { buildModuleFrontend, frontendSource } from './frontend.ts';


export interface BuiltPackage {
  manifest: ModuleManifest;
  fileName: string;
  archive: Buffer;
}

export function readModuleManifest(dir: string): ModuleManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new Error(`${file} not found: is ${dir} a module folder?`);
  return parseManifestText(readFileSync(file, 'utf8'));
}

export async function buildPackage(dir: string): Promise<BuiltPackage> {
  const manifest = readModuleManifest(dir);
  const staging = mkdtempSync(join(tmpdir(), `opsflux-pack-${manifest.name}-`));
  try {
    const files = [MANIFEST_FILE];
    const copy = (path: string) => {
      if (!existsSync(join(dir, path))) throw new Error(`${path}, named in ${MANIFEST_FILE}, is missing`);
      cpSync(join(dir, path), join(staging, path), { recursive: true, dereference: false });
      files.push(path);
    };
    cpSync(join(dir, MANIFEST_FILE), join(staging, MANIFEST_FILE));
    for (const optional of ['migrations', 'README.md']) if (existsSync(join(dir, optional))) copy(optional);
    for (const path of new Set(Object.values(manifest.translations ?? {}))) copy(path);
    if (existsSync(join(dir, 'backend/index.ts'))) {
      await build({
        entryPoints: [join(dir, 'backend/index.ts')], outfile: join(staging, BUNDLED_BACKEND), bundle: true,
        platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', legalComments: 'none',
      });
      files.push(BUNDLED_BACKEND);
    }
    if (manifest.frontend) {
      const source = frontendSource(dir);
      if (source) {
        await buildModuleFrontend(source, join(staging, manifest.frontend.entry));
        files.push(dirname(manifest.frontend.entry));
      } else {
        copy(dirname(manifest.frontend.entry)); // interface déjà construite
      }
    }
    const fileName = `${manifest.name}-${manifest.version}.tgz`;
    const out = join(staging, '..', `${staging.split('/').pop()}.tgz`);
    await create({ gzip: true, file: out, cwd: staging, portable: true, noMtime: true }, [...new Set(files)].sort());
    const archive = readFileSync(out);
    rmSync(out, { force: true });
    return { manifest, fileName, archive };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
