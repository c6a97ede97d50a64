// Pair S3 de test sur la boucle locale : un sous-ensemble du protocole réel (PUT, GET avec Range, HEAD sur
// /<compartiment>/<clé>), signatures AWS V4 vérifiées par une implémentation indépendante du signataire du produit
// (./sigv4.ts), réponses d'erreur XML comme celles de S3.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4 } from './sigv4.js';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, Buffer>;
  /** requêtes reçues : « MÉTHODE clé » */
  log: string[];
  close(): Promise<void>;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** La signature reçue est-elle celle que la spécification AWS donne pour cette requête et le secret du compte ? */
function validSignature(req: IncomingMessage, credentials: { accessKeyId: string; secretAccessKey: string }): boolean {
  return verifySigV4({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, credentials).ok;
}

export async function startTestS3(bucket = 'opsflux-test'): Promise<TestS3> {
  const credentials = { accessKeyId: 'AKIATESTOPSFLUX', secretAccessKey: 'test-secret-key-for-loopback-only' };
  const objects = new Map<string, Buffer>();
  const log: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const [, first, ...rest] = path.split('/');
      const key = rest.join('/');
      log.push(`${req.method} ${key}`);
      if (!validSignature(req, credentials)) return xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
      if (first !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      if (req.method === 'PUT') {
        const content = await body(req);
        const declared = req.headers['x-amz-content-sha256'];
        if (declared !== 'UNSIGNED-PAYLOAD' && declared !== createHash('sha256').update(content).digest('hex')) {
          return xmlError(res, 400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
        }
        objects.set(key, content);
        res.writeHead(200, { etag: `"${createHash('md5').update(content).digest('hex')}"` }).end();
        return;
      }
      const stored = objects.get(key);
      if (!stored) return req.method === 'HEAD' ? void res.writeHead(404).end() : xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (range) {
        const [start, end] = [Number(range[1]), Math.min(Number(range[2]), stored.length - 1)];
        res.writeHead(206, { 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${stored.length}` });
        return void res.end(req.method === 'HEAD' ? undefined : stored.subarray(start, end + 1));
      }
      res.writeHead(200, { 'content-length': stored.length, 'content-type': 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : stored);
    })().catch((error: unknown) => xmlError(res, 500, 'InternalError', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: base, bucket, ...credentials, objects, log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
