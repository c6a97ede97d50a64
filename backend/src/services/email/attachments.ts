// Pièces jointes d'un courriel : des fichiers du FileManager du tenant. À la mise en file, les ids sont vérifiés dans
// la transaction du tenant (RLS : l'id d'un fichier d'un autre tenant est introuvable → 400) et leur description est
// gardée avec le message ; à l'envoi, le contenu est relu dans le stockage du tenant.
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { UUID } from '../../engine/validate.js';
import { validationFailed } from '../../errors/problem.js';
import type { MailAttachment } from './transport/mailer.js';
import type { FileStore } from '../files/store.js';

/** Limites des pièces jointes d'un courriel (réglages `email.attachments.*`, selon le serveur SMTP du tenant). */
export interface AttachmentLimits {
  maxCount: number;
  maxBytes: number;
}

export interface AttachmentRef {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

/** Description des fichiers joints ; ids inconnus du tenant, trop de fichiers ou trop lourds → 400. */
export async function attachmentRefs(trx: Tx, ids: readonly string[], limits: AttachmentLimits): Promise<AttachmentRef[]> {
  if (!ids.length) return [];
  const unique = [...new Set(ids)];
  if (unique.length > limits.maxCount) {
    throw validationFailed([{ field: 'attachments', code: 'too_many', message: `At most ${limits.maxCount} attachments (setting email.attachments.maxCount)` }]);
  }
  const wellFormed = unique.filter((id) => UUID.test(id));
  const { rows } = await sql<AttachmentRef>`SELECT id, name, mime, size::int AS size, sha256 FROM attachment
    WHERE id = ANY(${wellFormed}::uuid[]) AND deleted_at IS NULL`.execute(trx);
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) {
    throw validationFailed(missing.map((id) => ({ field: `attachments[${ids.indexOf(id)}]`, code: 'unknown_file', message: `Unknown file ${id}` })));
  }
  const refs = unique.map((id) => found.get(id)!);
  if (refs.reduce((sum, r) => sum + r.size, 0) > limits.maxBytes) {
    throw validationFailed([{ field: 'attachments', code: 'too_large', message: `Attachments are at most ${limits.maxBytes / 1024 / 1024} MB in all (setting email.attachments.maxMegabytes)` }]);
  }
  return refs;
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Contenus des pièces jointes, lus dans le stockage du tenant. */
export async function attachmentContents(store: FileStore, tenantId: string, refs: readonly AttachmentRef[]): Promise<MailAttachment[]> {
  return Promise.all(refs.map(async (r) => ({ filename: r.name, contentType: r.mime, content: await bytes(await store.read(tenantId, r.sha256)) })));
}
