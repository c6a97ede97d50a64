// Corps multipart/form-data d'un envoi de fichier (champ « file »), pour les requêtes injectées des tests.
import { randomBytes } from 'node:crypto';

export function multipart(content: Buffer, filename: string, type = 'application/octet-stream'): { payload: Buffer; contentType: string } {
  const boundary = `----opsflux${randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
