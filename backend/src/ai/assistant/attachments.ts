// Images envoyées au modèle (vision) : pièces jointes du gestionnaire de fichiers, lues avec les droits de l'appelant
// (celles d'un enregistrement qu'il peut lire) — jointes à une question de l'assistant, ou celles de l'enregistrement
// d'une action `ai` de règle. L'historique d'une conversation n'en garde que le nom : le contenu ne repart pas à
// chaque question.
import { buffer } from 'node:stream/consumers';
import type { ImagePart } from 'ai';
import type { RequestContext } from '../../engine/context.js';
import { badRequest } from '../../errors/problem.js';
import type { Row } from '../../engine/crud/service.js';
import type { AttachTarget, FileService } from '../../services/files/file-service.js';

/** Formats d'image que les fournisseurs acceptent tous (OpenAI, Anthropic, Mistral). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** Taille la plus grande qu'acceptent les fournisseurs pour une image (Anthropic : 5 Mo). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 4;

export interface AttachedImages {
  parts: ImagePart[];
  /** noms des fichiers, pour l'historique */
  names: string[];
}

type Files = Pick<FileService, 'find' | 'store' | 'list'>;

const isImage = (file: Row) => (IMAGE_TYPES as readonly string[]).includes(String(file.mime));

async function read(files: Files, ctx: RequestContext, found: Row[]): Promise<AttachedImages> {
  const store = await files.store(ctx.tenantId);
  const parts = await Promise.all(found.map(async (file): Promise<ImagePart> => ({
    type: 'image',
    image: new Uint8Array(await buffer(await store.read(ctx.tenantId, String(file.sha256)))),
    mediaType: String(file.mime),
  })));
  return { parts, names: found.map((file) => String(file.name)) };
}

/** Images choisies par l'utilisateur : chacune doit être une image acceptée, sinon 400 par pièce. */
export async function attachedImages(files: Files, ctx: RequestContext, ids: string[]): Promise<AttachedImages> {
  const found = await Promise.all(ids.map((id) => files.find(ctx, id)));
  const refused = found.flatMap((file, index) => {
    if (!isImage(file)) {
      return [{ field: `attachments.${index}`, code: 'unsupported_type', message: `${String(file.name)}: only PNG, JPEG, WebP and GIF images can be sent to the assistant` }];
    }
    if (Number(file.size) > MAX_IMAGE_BYTES) {
      return [{ field: `attachments.${index}`, code: 'too_large', message: `${String(file.name)}: images sent to the assistant are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB` }];
    }
    return [];
  });
  if (refused.length) throw badRequest('validation_failed', 'Some attachments cannot be sent to the assistant', refused);
  return read(files, ctx, found);
}

/** Images d'un enregistrement : la dernière version de chaque nom, acceptée par les fournisseurs, quatre au plus. */
export async function recordImages(files: Files, ctx: RequestContext, target: AttachTarget): Promise<AttachedImages> {
  const all = await files.list(ctx, target);
  const latest = all.filter((file, index) => all.findIndex((other) => other.name === file.name) === index);
  return read(files, ctx, latest.filter((file) => isImage(file) && Number(file.size) <= MAX_IMAGE_BYTES).slice(0, MAX_ATTACHMENTS));
}
