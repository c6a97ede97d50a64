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

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), ui5FontFaces()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    target: 'es2022',
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  resolve: { alias: { '@': resolve(import.meta.dirname, 'src') } },
});
