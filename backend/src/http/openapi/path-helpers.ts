// Petits constructeurs des fragments OpenAPI des schémas de route (corps JSON, références, réponses d'erreur, pages).
export type Doc = Record<string, unknown>;

export const json = (schema: Doc) => ({ content: { 'application/json': { schema } } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { $ref: `#/components/responses/Problem${c}` }]));

/** Page d'une liste : `data` et `meta.nextCursor` (null sur la dernière page), plus d'éventuels champs de `meta`. */
export const pageOf = (items: Doc, meta: Record<string, Doc> = {}, cursorDescription?: string) => ({
  type: 'object',
  required: ['data', 'meta'],
  properties: {
    data: { type: 'array', items },
    meta: {
      type: 'object',
      required: ['nextCursor'],
      properties: { nextCursor: { type: ['string', 'null'], ...(cursorDescription ? { description: cursorDescription } : {}) }, ...meta },
    },
  },
});
