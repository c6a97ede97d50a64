// Interface web : la même application compilée (frontend/dist) sert /app/ (application) et /server/ (console).
// Les fichiers versionnés se gardent un an ; toute autre adresse reçoit index.html avec son <base href>, calculé
// sur l'adresse vue par le navigateur (app.DOMAIN/x arrive ici réécrite en /app/x mais la page vit sous /).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../../text/html.js';
import { ProblemError } from '../../errors/problem.js';
import { hiddenRoute } from '../openapi/route-schema.js';

export const FRONTEND_AREAS = ['app', 'server'] as const;

export function frontendDir(): string {
  return process.env.OPSFLUX_FRONTEND_DIR ?? fileURLToPath(new URL('../../../../frontend/dist', import.meta.url));
}

/** Page d'entrée avec la racine des adresses relatives et la partie servie. */
export function pageFor(html: string, base: string, area: string): string {
  const head = `<base href="${escapeHtml(base)}" />\n    <meta name="opsflux-area" content="${escapeHtml(area)}" />`;
  return html.replace('<head>', `<head>\n    ${head}`);
}

export async function registerFrontendRoutes(app: FastifyInstance): Promise<void> {
  const root = frontendDir();
  for (const [index, area] of FRONTEND_AREAS.entries()) {
    // fichiers à nom versionné (hash du contenu) : immuables
    await app.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: `/${area}/assets/`,
      decorateReply: index === 0,
      immutable: true,
      maxAge: '365d',
      // .br / .gz écrits à la compilation : envoyés selon Accept-Encoding, sans compresser à chaque requête
      preCompressed: true,
      wildcard: true,
      index: false,
    });
    const entry = async (request: FastifyRequest, reply: FastifyReply) => {
      const html = await readFile(join(root, 'index.html'), 'utf8').catch(() => {
        throw new ProblemError(503, 'frontend_not_built', 'The web interface is not built: run "npm run build -w frontend" (npm start does it)');
      });
      const seen = request.originalUrl;
      const base = seen === `/${area}` || seen.startsWith(`/${area}/`) || seen.startsWith(`/${area}?`) ? `/${area}/` : '/';
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(pageFor(html, base, area));
    };
    app.get(`/${area}`, { schema: hiddenRoute }, (request, reply) => (request.originalUrl.startsWith(`/${area}`) ? reply.redirect(`/${area}/`, 301) : entry(request, reply)));
    app.get(`/${area}/*`, { schema: hiddenRoute }, entry);
  }
  // page publique à venir (web/) : en attendant, l'accueil mène à l'application
  app.get('/', { schema: hiddenRoute }, (_request, reply) => reply.redirect('/app/', 302));
}
