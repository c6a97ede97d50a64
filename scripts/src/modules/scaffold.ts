// `opsflux module new NAME` : un module complet et petit (entité, crochet, traductions, scripts d'installation, test)
// qui passe ses propres tests et se construit avec `opsflux module pack`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VERSION } from '@opsflux/backend';

export const MODULE_NAME = /^[a-z][a-z0-9_]{1,39}$/;

const title = (name: string) => name.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

export function scaffoldFiles(name: string): Record<string, string> {
  const entity = `${name}_record`;
  const label = title(name);
  const manifest = {
    $schema: '../../sdk/schema/module-manifest.schema.json',
    name,
    version: '0.1.0',
    label: { en: label, fr: label },
    description: { en: `${label}: records with a title and notes.`, fr: `${label} : fiches avec un titre et des notes.` },
    author: 'Your name',
    license: { type: 'free', spdx: 'MIT' },
    core: `>=${VERSION} <1.0.0`,
    dependencies: {},
    entities: [entity],
    hooks: [`${name}.tidyTitle`],
    menus: [{ id: `${name}.records`, label: { en: label, fr: label }, entity }],
    translations: { en: 'i18n/en.json', fr: 'i18n/fr.json' },
  };
  return {
    'metadata.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'backend/index.ts': `// Code serveur du module ${name} : entités, crochets, routes ; n'importe que @opsflux/sdk.
import { defineModule, ModuleError, onRecord } from '@opsflux/sdk';
import { install } from '../install.ts';
import { uninstall } from '../uninstall.ts';

export default defineModule({
  entities: [{
    name: '${entity}',
    label: { en: '${label} record', fr: 'Fiche ${label}' },
    fields: {
      title: { type: 'string', required: true, maxLength: 200, label: { en: 'Title', fr: 'Titre' } },
      notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
      done: { type: 'boolean', default: false, label: { en: 'Done', fr: 'Fait' } },
    },
  }],
  hooks: [
    // titre nettoyé avant l'écriture ; un titre vide après nettoyage est refusé avec un message traduit
    onRecord('${name}.tidyTitle', 'beforeCreate', '${entity}', ({ data, ctx }) => {
      const tidy = String(data!.title).trim().replace(/\\s+/g, ' ');
      if (!tidy) throw new ModuleError('empty_title', ctx.t('emptyTitle'), 422, 'title');
      data!.title = tidy;
    }),
  ],
  install,
  uninstall,
});
`,
    'install.ts': `// À l'installation dans un tenant : une première fiche d'accueil.
import type { ModuleContext } from '@opsflux/sdk';

export async function install(ctx: ModuleContext): Promise<void> {
  await ctx.records.create('${entity}', { title: ctx.t('welcome') });
}
`,
    'uninstall.ts': `// À la désinstallation dans un tenant (les données sont gardées ou effacées par la plateforme selon la demande).
import type { ModuleContext } from '@opsflux/sdk';

export function uninstall(ctx: ModuleContext, options: { keepData: boolean }): void {
  ctx.log.info('uninstalled', { keepData: options.keepData });
}
`,
    'i18n/en.json': `${JSON.stringify({ welcome: `Welcome to ${label}`, emptyTitle: 'The title cannot be empty.' }, null, 2)}\n`,
    'i18n/fr.json': `${JSON.stringify({ welcome: `Bienvenue dans ${label}`, emptyTitle: 'Le titre ne peut pas être vide.' }, null, 2)}\n`,
    'migrations/001-init.sql': `-- Migrations du module : jouées une fois, dans l'ordre des numéros, à l'installation et aux mises à niveau.
-- Les tables des entités sont créées par la plateforme ; ici, ce que les déclarations ne disent pas.
CREATE INDEX IF NOT EXISTS ${entity}_open_idx ON ${entity} (tenant_id) WHERE NOT done;
`,
    [`test/${name}.test.ts`]: `// Le module ${name} installé sur une vraie plateforme et utilisé par son API.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '@opsflux/sdk';
import { moduleHarness, type ModuleHarness } from '@opsflux/backend/testing/module-harness.ts';

let harness: ModuleHarness;

beforeAll(async () => {
  harness = await moduleHarness(fileURLToPath(new URL('../..', import.meta.url)));
  await harness.client.modules.install('${name}');
}, 120_000);
afterAll(() => harness?.close());

it('installs with its welcome record', async () => {
  const { data } = await harness.client.records.list('${entity}');
  expect(data.map((r) => r.title)).toEqual(['Welcome to ${label}']);
});

it('tidies titles and refuses an empty one', async () => {
  const created = await harness.client.records.create('${entity}', { title: '  Call   back  ' });
  expect(created.title).toBe('Call back');
  const refused = await harness.client.records.create('${entity}', { title: '   ' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ApiError);
  expect((refused as ApiError).problem.code).toBe('empty_title');
});
`,
    'vitest.config.ts': `// Tests du module lancés depuis son dossier (\`npx vitest run\`) ; le dépôt les lance aussi avec les siens.
export default { test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } };
`,
    'README.md': `# ${label}

An OpsFlux module. See docs/modules.md in the OpsFlux repository.

- \`npx vitest run\` (in this folder) runs its tests on a real platform.
- \`npx opsflux module pack .\` builds \`${name}-0.1.0.tgz\`, to upload with \`POST /api/v1/modules/upload\`.
`,
  };
}

/** Écrit le module dans `parent/NAME` ; refuse d'écraser un dossier existant. */
export function scaffold(parent: string, name: string): string {
  const root = join(parent, name);
  if (existsSync(root)) throw new Error(`${root} already exists`);
  for (const [path, content] of Object.entries(scaffoldFiles(name))) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
