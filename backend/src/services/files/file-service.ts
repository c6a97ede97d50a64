// Pièces jointes (FileManager) : un fichier s'attache à un enregistrement que l'appelant peut modifier, se lit si
// l'appelant peut lire cet enregistrement. Contenus dédoublonnés par tenant, quota par tenant, versions par nom,
// point d'accroche pour un antivirus. Taille et quota viennent des réglages `files.*`.
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import sharp from 'sharp';
import type { Settings } from '../../config/settings.js';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService, Row } from '../../engine/crud/service.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import { UUID } from '../../engine/validate.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import type { Outbound } from '../outbound/outbound.js';
import { LocalFileStore } from './local-store.js';
import { receive, safeFileName } from './receive.js';
import { S3FileStore, type S3Config } from './s3-store.js';
import type { FileStore } from './store.js';

const THUMBNAIL_SIZES = [64, 128, 256, 512];
// clients S3 gardés (un par configuration de tenant) : borne mémoire, au-delà le cache repart de zéro
const MAX_S3_STORES = 100;
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);

export interface FileScanner {
  /** `clean: false` refuse le fichier (raison rapportée à l'appelant) */
  scan(path: string, info: { name: string; mime: string; size: number }): Promise<{ clean: boolean; reason?: string }>;
}

export interface FileServiceDeps {
  settings: Settings;
  outbound: Outbound;
  records: RecordService;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  tenantTx: TenantTx;
}

export interface AttachTarget {
  entity: string;
  recordId: string;
}

export class FileService {
  private readonly local: LocalFileStore;
  /** stockages S3 en service, par configuration (un tenant peut avoir son propre service) */
  private readonly s3 = new Map<string, S3FileStore>();

  constructor(private readonly deps: FileServiceDeps, root: string, private readonly scanner?: FileScanner) {
    this.local = new LocalFileStore(root);
  }

  /** Dossier local des fichiers reçus (avant leur rangement, et pour les imports). */
  incoming(): string {
    return this.local.incoming();
  }

  /** Stockage du tenant choisi par le réglage `files.storage` (disque local ou service compatible S3, `files.s3.*`). */
  async store(tenantId: string): Promise<FileStore> {
    const audience = { tenantId, userId: null };
    const setting = <T>(key: string) => this.deps.settings.value<T>(key, audience);
    if ((await setting<string>('files.storage')) !== 's3') return this.local;
    const keys = ['endpoint', 'bucket', 'region', 'accessKeyId', 'secretAccessKey', 'pathStyle'] as const;
    const values = await Promise.all(keys.map((k) => setting<unknown>(`files.s3.${k}`)));
    const config = Object.fromEntries(keys.map((k, i) => [k, values[i]])) as unknown as S3Config;
    if (!config.endpoint || !config.bucket) throw new ProblemError(503, 'storage_not_configured', 'files.storage is s3 but files.s3.endpoint or files.s3.bucket is empty');
    // politique des connexions sortantes lue ici, hors transaction : le contenu est rangé pendant la transaction d'écriture
    const policy = await this.deps.outbound.policy('s3');
    const key = JSON.stringify([config, policy.key]);
    let store = this.s3.get(key);
    if (!store) {
      // borne mémoire : des réglages changés souvent ne s'accumulent pas
      if (this.s3.size >= MAX_S3_STORES) this.s3.clear();
      this.s3.set(key, (store = new S3FileStore(config, this.local.root, (url, init) => this.deps.outbound.fetch(policy, url, init))));
    }
    return store;
  }

  /** L'enregistrement visé existe pour l'appelant et l'action lui est permise ; sinon 404 / 403. */
  private async checkTarget(trx: Tx, ctx: RequestContext, target: AttachTarget, action: 'read' | 'update'): Promise<void> {
    if (!UUID.test(target.recordId)) throw notFound();
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, target.entity, action);
    await this.deps.records.get(trx, ctx, catalog, model, target.recordId);
  }

  /** `maxMegabytes` : la limite (réglage `files.maxMegabytes`) que l'appelant a imposée au flux reçu. */
  async attach(ctx: RequestContext, target: AttachTarget, file: { stream: Readable; filename: string; truncated: () => boolean; maxMegabytes: number }): Promise<Row> {
    const quota = (await this.deps.settings.value<number>('files.quotaMegabytes', { tenantId: ctx.tenantId, userId: ctx.userId })) * 1024 * 1024;
    const catalog = await this.deps.catalog(ctx.tenantId);
    await this.deps.tenantTx(ctx, (trx) => this.checkTarget(trx, ctx, target, 'update'));
    const store = await this.store(ctx.tenantId);
    const received = await receive(file.stream, this.incoming());
    try {
      if (file.truncated()) throw new ProblemError(413, 'payload_too_large', `A file is at most ${file.maxMegabytes} MB`);
      const name = safeFileName(file.filename);
      const verdict = await this.scanner?.scan(received.path, { name, mime: received.mime, size: received.size });
      if (verdict && !verdict.clean) throw new ProblemError(422, 'file_rejected', `The file was rejected by the scanner: ${verdict.reason ?? 'unsafe content'}`);
      return await this.deps.tenantTx(ctx, async (trx) => {
        const { rows } = await sql<{ used: string; known: boolean }>`SELECT coalesce(sum(size), 0)::text AS used,
          bool_or(sha256 = ${received.sha256}) AS known FROM file_blob`.execute(trx);
        const known = rows[0]?.known === true;
        if (!known && Number(rows[0]?.used ?? 0) + received.size > quota) {
          throw new ProblemError(413, 'quota_exceeded', `The storage quota of the tenant (${quota / 1024 / 1024} MB) would be exceeded`);
        }
        await sql`INSERT INTO file_blob (tenant_id, sha256, size, mime) VALUES (app_tenant(), ${received.sha256}, ${received.size}, ${received.mime})
          ON CONFLICT DO NOTHING`.execute(trx);
        await store.keep(ctx.tenantId, received.sha256, received.path);
        const previous = await sql<{ version: number | null }>`SELECT max(file_version) AS version FROM attachment
          WHERE entity = ${target.entity} AND record_id = ${target.recordId} AND name = ${name} AND deleted_at IS NULL`.execute(trx);
        // champs en lecture seule posés par la plateforme ; l'auteur audité reste l'appelant
        return this.deps.records.create(trx, { ...ctx, system: true }, catalog, catalog.get('attachment')!, {
          entity: target.entity, recordId: target.recordId, name, mime: received.mime, size: received.size, sha256: received.sha256,
          fileVersion: (previous.rows[0]?.version ?? 0) + 1,
        });
      }, { write: true });
    } finally {
      rmSync(received.path, { force: true });
    }
  }

  /** Pièces jointes d'un enregistrement lisible par l'appelant, la plus récente d'abord. */
  async list(ctx: RequestContext, target: AttachTarget): Promise<Row[]> {
    const catalog = await this.deps.catalog(ctx.tenantId);
    return this.deps.tenantTx(ctx, async (trx) => {
      await this.checkTarget(trx, ctx, target, 'read');
      const result = await this.deps.records.list(trx, { ...ctx, system: true }, catalog, catalog.get('attachment')!, {
        filter: { entity: target.entity, recordId: target.recordId }, sort: 'name,-fileVersion', limit: 1000,
      });
      return result.data;
    });
  }

  /** Vignette WebP d'une image (contenue dans un carré de `size` pixels, jamais agrandie), produite une fois. */
  async thumbnail(ctx: RequestContext, id: string, size: number): Promise<Readable> {
    if (!THUMBNAIL_SIZES.includes(size)) throw new ProblemError(400, 'validation_failed', `size must be one of ${THUMBNAIL_SIZES.join(', ')}`);
    const attachment = await this.find(ctx, id);
    if (!IMAGES.has(attachment.mime as string)) throw new ProblemError(415, 'not_an_image', 'Thumbnails exist for images only');
    const sha = attachment.sha256 as string;
    return (await this.store(ctx.tenantId)).derived(ctx.tenantId, sha, `thumb${size}.webp`, async (source, target) => {
      await sharp(source, { limitInputPixels: 100_000_000 })
        .rotate().resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toFile(target);
    });
  }

  /** Pièce jointe à lire : son enregistrement doit être lisible par l'appelant. */
  async find(ctx: RequestContext, id: string): Promise<Row> {
    if (!UUID.test(id)) throw notFound();
    const catalog = await this.deps.catalog(ctx.tenantId);
    return this.deps.tenantTx(ctx, async (trx) => {
      const attachment = await this.deps.records.get(trx, { ...ctx, system: true }, catalog, catalog.get('attachment')!, id);
      await this.checkTarget(trx, ctx, { entity: attachment.entity as string, recordId: attachment.recordId as string }, 'read').catch(() => {
        throw notFound();
      });
      return attachment;
    });
  }
}
