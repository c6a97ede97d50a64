// Stockage des contenus dans un service compatible S3 (AWS, MinIO, Ceph, Scaleway…) : mêmes clés que sur disque,
// requêtes signées AWS Signature V4 (`aws4fetch`) et envoyées par les connexions sortantes gardées (le service d'un
// tenant ne mène jamais à une adresse interne ; redirections non suivies). L'empreinte SHA-256 déjà calculée à la
// réception sert de `x-amz-content-sha256` : le service vérifie lui-même l'intégrité de ce qu'il reçoit.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AwsV4Signer } from 'aws4fetch';
import type { Response } from 'undici';
import { ProblemError } from '../../errors/problem.js';
import type { OutboundRequest } from '../outbound/http.js';
import { contentKey, type FileStore } from './store.js';

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/clé` (MinIO, la plupart des services compatibles) plutôt que `bucket.endpoint/clé` */
  pathStyle: boolean;
}

/** Envoi d'une requête signée (connexions sortantes gardées). */
export type S3Fetch = (url: string, init: OutboundRequest) => Promise<Response>;

/** nouvelles tentatives d'une requête sans corps qui reçoit 5xx ou 429 (comme le faisait le client `aws4fetch`) : comportement du client, pas un réglage */
const RETRIES = 2;

/** Service de stockage injoignable ou qui refuse : 502 (la requête n'y est pour rien), détail dans le journal. */
function unavailable(status: number | string): ProblemError {
  return new ProblemError(502, 'storage_unavailable', `The file storage answered ${status}`);
}

export class S3FileStore implements FileStore {
  /** clés de signature dérivées, gardées d'une requête à l'autre */
  private readonly signingKeys = new Map<string, ArrayBuffer>();

  constructor(private readonly config: S3Config, private readonly scratch: string, private readonly fetch: S3Fetch) {}

  private url(key: string): string {
    const endpoint = new URL(this.config.endpoint);
    if (this.config.pathStyle) return `${endpoint.origin}/${this.config.bucket}/${key}`;
    return `${endpoint.protocol}//${this.config.bucket}.${endpoint.host}/${key}`;
  }

  private async signed(method: string, key: string, headers?: Record<string, string>) {
    const { accessKeyId, secretAccessKey, region } = this.config;
    return new AwsV4Signer({ method, url: this.url(key), headers, accessKeyId, secretAccessKey, region, service: 's3', cache: this.signingKeys }).sign();
  }

  private async send(method: string, key: string, init: { headers?: Record<string, string>; body?: Readable; ok?: number[] } = {}): Promise<Response> {
    let response: Response;
    try {
      for (let attempt = 0; ; attempt++) {
        const request = await this.signed(method, key, init.headers);
        response = await this.fetch(request.url.href, {
          method,
          headers: request.headers,
          ...(init.body ? { body: Readable.toWeb(init.body) as ReadableStream, duplex: 'half' } : {}),
        });
        if (init.body || attempt >= RETRIES || (response.status < 500 && response.status !== 429)) break;
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      }
    } catch (error) {
      throw unavailable((error as Error).message);
    }
    if (!(init.ok ?? [200]).includes(response.status)) {
      await response.body?.cancel();
      throw unavailable(response.status);
    }
    return response;
  }

  incoming(): string {
    const dir = join(this.scratch, '.incoming');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private async exists(key: string): Promise<boolean> {
    const response = await this.send('HEAD', key, { ok: [200, 404] });
    return response.status === 200;
  }

  /** Envoie un fichier local (empreinte fournie ou calculée) ; le fichier est supprimé ensuite. */
  private async put(key: string, path: string, sha256?: string): Promise<void> {
    const hash = sha256 ?? (await fileSha256(path));
    const { size } = await stat(path);
    await this.send('PUT', key, {
      headers: { 'content-length': String(size), 'x-amz-content-sha256': hash, 'content-type': 'application/octet-stream' },
      body: createReadStream(path),
    });
  }

  async keep(tenantId: string, sha256: string, received: string): Promise<void> {
    const key = contentKey(tenantId, sha256);
    try {
      if (!(await this.exists(key))) await this.put(key, received, sha256);
    } finally {
      await rm(received, { force: true });
    }
  }

  async size(tenantId: string, sha256: string): Promise<number> {
    const response = await this.send('HEAD', contentKey(tenantId, sha256));
    return Number(response.headers.get('content-length'));
  }

  read(tenantId: string, sha256: string, range?: { start: number; end: number }): Promise<Readable> {
    return this.readKey(contentKey(tenantId, sha256), range);
  }

  private async readKey(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const headers = range ? { range: `bytes=${range.start}-${range.end}` } : undefined;
    const response = await this.send('GET', key, { headers, ok: range ? [206] : [200] });
    return Readable.fromWeb(response.body as unknown as WebReadableStream);
  }

  async derived(tenantId: string, sha256: string, variant: string, make: (source: string, target: string) => Promise<void>): Promise<Readable> {
    const key = contentKey(tenantId, sha256, variant);
    if (!(await this.exists(key))) {
      // l'original est copié en local le temps de produire la variante
      const source = join(this.incoming(), `${sha256}.${process.pid}.${Date.now()}`);
      const target = `${source}.${variant}`;
      try {
        await pipeline(await this.read(tenantId, sha256), createWriteStream(source));
        await make(source, target);
        await this.put(key, target);
      } finally {
        await rm(source, { force: true });
        await rm(target, { force: true });
      }
    }
    return this.readKey(key);
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
