// Fichiers (FileManager) : envoi en flux d'une pièce jointe, liste des pièces d'un enregistrement, téléchargement avec
// requêtes partielles (Range). Les droits suivent ceux de l'enregistrement.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { problems, ref } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';
import { badRequest, ProblemError } from '../../errors/problem.js';

/** Services que ces routes utilisent. */
export type FileRouteDeps = Pick<PlatformServices, 'files' | 'settings'>;

type Target = { Querystring: { entity?: string; recordId?: string } };

// Description OpenAPI : la cible (entity, recordId) et la taille de vignette sont vérifiées par les gestionnaires
// (messages par champ), l'identifiant d'une pièce jointe n'est pas contraint (inconnu ou mal formé : 404).
const tags = ['files'];
const TARGET = [
  { name: 'entity', in: 'query', required: true, description: 'entity name', schema: { type: 'string' } },
  { name: 'recordId', in: 'query', required: true, description: 'record id', schema: { type: 'string' } },
];
const FILE_ID = { type: 'object', properties: { id: { type: 'string', description: 'attachment id' } }, required: ['id'] } as const;

const attachSchema = routeSchema({
  operationId: 'attachFile', tags, parameters: TARGET,
  summary: 'Attach a file to a record the caller can update (streamed; type from the content; size from files.maxMegabytes; tenant quota files.quotaMegabytes; same name = new version; identical contents stored once)',
  requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
  responses: { 201: { description: 'Attachment (its URL in Location)' }, ...problems(400, 404, 413, 415, 422) },
});
const listSchema = routeSchema({
  operationId: 'listFiles', tags, parameters: TARGET, summary: 'Attachments of a record the caller can read, newest version first',
  responses: { 200: { description: 'Attachments' }, ...problems(400, 404) },
});
const thumbnailSchema = routeSchema({
  operationId: 'getFileThumbnail', tags, params: FILE_ID, summary: 'WebP thumbnail of an image attachment (size 64, 128, 256 or 512; produced once)',
  parameters: [{ name: 'size', in: 'query', description: '64 | 128 | 256 | 512 (256 by default)', schema: { type: 'string' } }],
  responses: { 200: { description: 'Thumbnail' }, ...problems(400, 404, 415) },
});
const downloadSchema = routeSchema({
  operationId: 'downloadFile', tags, params: FILE_ID, summary: 'Download an attachment (Range requests supported: 206, 416)',
  parameters: [{ name: 'Range', in: 'header', description: 'one range: bytes=start-end, start- or -suffix', schema: { type: 'string' } }],
  responses: { 200: { description: 'File' }, 206: { description: 'Part of the file' }, ...problems(404), 416: { description: 'Range not satisfiable (Content-Range: bytes */size)', content: { 'application/problem+json': { schema: ref('Problem') } } } },
});

function targetOf(request: FastifyRequest<Target>) {
  const { entity, recordId } = request.query;
  if (typeof entity !== 'string' || typeof recordId !== 'string') {
    throw badRequest('validation_failed', 'entity and recordId are required', [
      ...(typeof entity === 'string' ? [] : [{ field: 'entity', code: 'required', message: 'This field is required.' }]),
      ...(typeof recordId === 'string' ? [] : [{ field: 'recordId', code: 'required', message: 'This field is required.' }]),
    ]);
  }
  return { entity, recordId };
}

/** Plage demandée (une seule), bornée à la taille ; null sans en-tête ; 416 si elle ne tient pas. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = () => new ProblemError(416, 'range_not_satisfiable', 'Requested range not satisfiable', undefined, { 'Content-Range': `bytes */${size}` });
  if (!match || (match[1] === '' && match[2] === '')) throw unsatisfiable();
  const [start, end] = match[1] === ''
    ? [Math.max(size - Number(match[2]), 0), size - 1]
    : [Number(match[1]), match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)];
  if (start > end || start >= size) throw unsatisfiable();
  return { start, end };
}

export function registerFileRoutes(app: FastifyInstance, deps: FileRouteDeps): void {
  app.post<Target>('/api/v1/files', { schema: attachSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const target = targetOf(request);
    if (!request.isMultipart()) throw new ProblemError(415, 'unsupported_media_type', 'Send the file as multipart/form-data (field "file")');
    const megabytes = await deps.settings.value<number>('files.maxMegabytes', { tenantId: ctx.tenantId, userId: ctx.userId });
    const part = await request.file({ limits: { fileSize: megabytes * 1024 * 1024 }, throwFileSizeLimit: false });
    if (!part) throw badRequest('validation_failed', 'No file in the request (field "file")');
    const attachment = await deps.files.attach(ctx, target, { stream: part.file, filename: part.filename, truncated: () => part.file.truncated, maxMegabytes: megabytes });
    return reply.code(201).header('Location', `/api/v1/files/${attachment.id as string}`).send(attachment);
  });

  app.get<Target>('/api/v1/files', { schema: listSchema }, async (request) => ({ data: await deps.files.list(requireAuth(request), targetOf(request)) }));

  app.get<{ Params: { id: string }; Querystring: { size?: string } }>('/api/v1/files/:id/thumbnail', { schema: thumbnailSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const thumbnail = await deps.files.thumbnail(ctx, request.params.id, Number(request.query.size ?? 256));
    return reply.type('image/webp').header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'private, max-age=86400').send(thumbnail);
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id', { schema: downloadSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const attachment = await deps.files.find(ctx, request.params.id);
    const sha = attachment.sha256 as string;
    const store = await deps.files.store(ctx.tenantId);
    const size = await store.size(ctx.tenantId, sha);
    const range = parseRange(request.headers.range, size);
    reply
      .header('Content-Type', attachment.mime as string)
      .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name as string)}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Accept-Ranges', 'bytes')
      .header('ETag', `"${sha}"`)
      .header('Cache-Control', 'private, max-age=3600');
    if (!range) return reply.header('Content-Length', size).send(await store.read(ctx.tenantId, sha));
    return reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`).header('Content-Length', range.end - range.start + 1)
      .send(await store.read(ctx.tenantId, sha, range));
  });
}
