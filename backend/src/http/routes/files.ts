// Fichiers (FileManager) : envoi en flux d'une pièce jointe, liste des pièces d'un enregistrement, téléchargement avec
// requêtes partielles (Range). Les droits suivent ceux de l'enregistrement.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { requireAuth } from '../auth.js';
import { badRequest, ProblemError } from '../problem.js';

type Target = { Querystring: { entity?: string; recordId?: string } };

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

export function registerFileRoutes(app: FastifyInstance, platform: Platform): void {
  app.post<Target>('/api/v1/files', async (request, reply) => {
    const ctx = requireAuth(request);
    const target = targetOf(request);
    if (!request.isMultipart()) throw new ProblemError(415, 'unsupported_media_type', 'Send the file as multipart/form-data (field "file")');
    const megabytes = await platform.settings.value<number>('files.maxMegabytes', { tenantId: ctx.tenantId, userId: ctx.userId });
    const part = await request.file({ limits: { fileSize: megabytes * 1024 * 1024 }, throwFileSizeLimit: false });
    if (!part) throw badRequest('validation_failed', 'No file in the request (field "file")');
    const attachment = await platform.files.attach(ctx, target, { stream: part.file, filename: part.filename, truncated: () => part.file.truncated, maxMegabytes: megabytes });
    return reply.code(201).header('Location', `/api/v1/files/${attachment.id as string}`).send(attachment);
  });

  app.get<Target>('/api/v1/files', async (request) => ({ data: await platform.files.list(requireAuth(request), targetOf(request)) }));

  app.get<{ Params: { id: string }; Querystring: { size?: string } }>('/api/v1/files/:id/thumbnail', async (request, reply) => {
    const ctx = requireAuth(request);
    const thumbnail = await platform.files.thumbnail(ctx, request.params.id, Number(request.query.size ?? 256));
    return reply.type('image/webp').header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'private, max-age=86400').send(thumbnail);
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id', async (request, reply) => {
    const ctx = requireAuth(request);
    const attachment = await platform.files.find(ctx, request.params.id);
    const sha = attachment.sha256 as string;
    const store = await platform.files.store(ctx.tenantId);
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
