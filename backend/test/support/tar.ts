// Archives tar écrites à la main (en-têtes du format réel) : pour fabriquer des paquets hostiles que `tar.c` refuserait.
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

export interface RawEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice';
  content?: string | Buffer;
  linkpath?: string;
}

export function tarball(entries: RawEntry[], gzip = true): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    new Header({
      path: entry.path, type: entry.type ?? 'File', size: entry.type && entry.type !== 'File' ? 0 : body.length,
      mode: 0o644, mtime: new Date(0), linkpath: entry.linkpath, uid: 0, gid: 0,
    }).encode(header, 0);
    blocks.push(header);
    if (body.length && (!entry.type || entry.type === 'File')) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? gzipSync(tar) : tar;
}
