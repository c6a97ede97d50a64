// Construction de l'interface : une seule application servie sous /app/ (application) et /server/ (console),
// chemins relatifs (la page reçoit son <base href> du serveur) et polices « 72 » de SAP embarquées (aucun CDN).
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const require = createRequire(import.meta.url);
const themingDir = dirname(require.resolve('@sap-theming/theming-base-content/package.json'));
const FONT_FACES = 'virtual:ui5-font-faces.css';

/** Les @font-face de UI5 pointent vers un CDN injoignable hors ligne : on les réécrit vers les fichiers du paquet. */
function ui5FontFaces(): Plugin {
  return {
    name: 'opsflux-ui5-font-faces',
    resolveId: (id) => (id === FONT_FACES ? `\0${FONT_FACES}` : undefined),
    async load(id) {
      if (id !== `\0${FONT_FACES}`) return undefined;
      const { default: css } = (await import('@ui5/webcomponents-base/dist/generated/css/FontFace.css.js')) as { default: string };
      return css.replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/@sap-theming\/theming-base-content@[^/]+\//g, `${themingDir}/`);
    },
  };
}

/** Entrées prêtées aux interfaces des modules : nom d'import nu → source (voir SHELL_MODULES du SDK). */
const SHARED: Record<string, string> = {
  react: 'src/module-imports/react.ts',
  'react/jsx-runtime': 'src/module-imports/jsx-runtime.ts',
  'react-dom': 'src/module-imports/react-dom.ts',
  'react-router': 'src/module-imports/react-router.ts',
  '@ui5/webcomponents-react': 'src/module-imports/ui5.ts',
  '@opsflux/sdk': 'src/module-imports/sdk.ts',
};
const sharedEntry = (specifier: string) => `shared-${specifier.replace(/[^a-z0-9]+/gi, '-')}`;

/** Carte d'import de la page : les interfaces des modules importent React, UI5 et le SDK de l'application. */
function moduleImportMap(): Plugin {
  return {
    name: 'opsflux-module-import-map',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const files = new Map(Object.values(context.bundle ?? {}).flatMap((chunk) => (chunk.type === 'chunk' && chunk.isEntry ? [[chunk.name, chunk.fileName] as const] : [])));
        const imports = Object.fromEntries(Object.keys(SHARED).flatMap((specifier) => {
          const file = files.get(sharedEntry(specifier));
          return file ? [[specifier, `./${file}`]] : [];
        }));
        return [{ tag: 'script', attrs: { type: 'importmap' }, children: JSON.stringify({ imports }), injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), ui5FontFaces(), moduleImportMap()],
  build: {
    outDir: 'dist',
    rollupOptions: {
      input: { index: resolve(import.meta.dirname, 'index.html'), ...Object.fromEntries(Object.entries(SHARED).map(([specifier, source]) => [sharedEntry(specifier), resolve(import.meta.dirname, source)])) },
      // les entrées prêtées gardent leurs exports
      preserveEntrySignatures: 'exports-only',
    },
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    target: 'es2022',
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  resolve: { alias: { '@': resolve(import.meta.dirname, 'src') } },
});
