// Corps de requête texte (CSV, XLIFF…) lus en entier comme une chaîne, pour les routes d'un domaine qui les acceptent.
import type { FastifyInstance } from 'fastify';

export function acceptTextBodies(app: FastifyInstance, types: readonly string[]): void {
  for (const type of types) app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
