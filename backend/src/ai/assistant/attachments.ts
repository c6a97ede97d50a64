// Images jointes à une question : des pièces jointes du gestionnaire de fichiers, lues avec les droits de
// l'utilisateur (celles d'un enregistrement qu'il peut lire), envoyées au modèle comme parties image (vision).
// L'historique de la conversation n'en garde que le nom : le contenu ne repart pas à chaque question.
import { buffer } from 'node:stream/consumers';
import type { ImagePart } from 'ai';
import type { RequestContext } from '../../engine/context.js';
import { badRequest } from '../../errors/problem.js';
import type { FileService } from '../../services/files/file-service.js';

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

export async function attachedImages(files: Pick<FileService, 'find' | 'store'>, ctx: RequestContext, ids: string[]): Promise<AttachedImages> {
  const found = await Promise.all(ids.map((id) => files.find(ctx, id)));
  const refused = found.flatMap((file, index) => {
    if (!(IMAGE_TYPES as readonly string[]).includes(String(file.mime))) {
      return [{ field: `attachments.${index}`, code: 'unsupported_type', message: `${String(file.name)}: only PNG, JPEG, WebP and GIF images can be sent to the assistant` }];
    }
    if (Number(file.size) > MAX_IMAGE_BYTES) {
      return [{ field: `attachments.${index}`, code: 'too_large', message: `${String(file.name)}: images sent to the assistant are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB` }];
    }
    return [];
  });
  if (refused.length) throw badRequest('validation_failed', 'Some attachments cannot be sent to the assistant', refused);
  const store = await files.store(ctx.tenantId);
  const parts = await Promise.all(found.map(async (file): Promise<ImagePart> => ({
    type: 'image',
    image: new Uint8Array(await buffer(await store.read(ctx.tenantId, String(file.sha256)))),
    mediaType: String(file.mime),
  })));
  return { parts, names: found.map((file) => String(file.name)) };
}
