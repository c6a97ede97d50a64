// Paquets de modules hostiles : chemins qui sortent du dossier, liens, périphériques, bombes de décompression.
import { describe, expect, it } from 'vitest';
import { entryPath, readArchive } from '../../../src/modules/archive.js';
import { tarball } from '../../support/tar.js';

const manifest = { path: 'metadata.json', content: '{}' };

async function refusal(archive: Buffer, limits?: { maxUnpackedBytes: number; maxFiles: number }): Promise<string> {
  const error = await readArchive(archive, limits).then(() => null, (e: Error & { code?: string }) => e);
  expect(error, 'the archive should be refused').not.toBeNull();
  expect(error!.code).toBe('invalid_archive');
  return error!.message;
}

describe('module archives', () => {
  it('reads the files of a well-formed archive, gzipped or not', async () => {
    for (const gzip of [true, false]) {
      const files = await readArchive(tarball([manifest, { path: 'dist', type: 'Directory' }, { path: './dist/backend.mjs', content: 'export default {}' }], gzip));
      expect([...files.keys()].sort()).toEqual(['dist/backend.mjs', 'metadata.json']);
      expect(files.get('dist/backend.mjs')!.toString()).toBe('export default {}');
    }
  });

  it('refuses paths that leave the package (zip-slip), absolute paths and odd names', async () => {
    expect(await refusal(tarball([manifest, { path: '../evil.js', content: 'x' }]))).toMatch(/unsafe path/);
    expect(await refusal(tarball([manifest, { path: 'dist/../../evil.js', content: 'x' }]))).toMatch(/unsafe path/);
    expect(await refusal(tarball([manifest, { path: '/etc/cron.d/evil', content: 'x' }]))).toMatch(/unsafe path/);
    for (const bad of ['a\\b', 'C:/x', 'a/./b', 'a b/c', '']) expect(() => entryPath(bad)).toThrow(/unsafe path/);
    expect(entryPath('./i18n/fr.json')).toBe('i18n/fr.json');
  });

  it('refuses symbolic links, hard links and devices', async () => {
    expect(await refusal(tarball([manifest, { path: 'dist/backend.mjs', type: 'SymbolicLink', linkpath: '/etc/passwd' }]))).toMatch(/SymbolicLink/);
    expect(await refusal(tarball([manifest, { path: 'copy', type: 'Link', linkpath: 'metadata.json' }]))).toMatch(/Link/);
    expect(await refusal(tarball([manifest, { path: 'tty', type: 'CharacterDevice' }]))).toMatch(/CharacterDevice/);
  });

  it('bounds the unpacked size, the number of files and refuses duplicates and garbage', async () => {
    const bomb = tarball([manifest, { path: 'zeros.bin', content: Buffer.alloc(2_000_000) }]);
    expect(bomb.length).toBeLessThan(10_000);
    expect(await refusal(bomb, { maxUnpackedBytes: 1_000_000, maxFiles: 10 })).toMatch(/bytes once unpacked/);
    const many = tarball(Array.from({ length: 12 }, (_, i) => ({ path: `f${i}.txt`, content: 'x' })));
    expect(await refusal(many, { maxUnpackedBytes: 1_000_000, maxFiles: 10 })).toMatch(/more than 10 files/);
    expect(await refusal(tarball([manifest, manifest]))).toMatch(/twice/);
    expect(await refusal(Buffer.from('definitely not a tarball, just some text that goes on and on'.repeat(20)))).toMatch(/not a valid|empty/);
    expect(await refusal(tarball([]))).toMatch(/not a valid|empty archive/);
  });
});
