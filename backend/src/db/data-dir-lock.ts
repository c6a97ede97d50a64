// Verrou exclusif sur DATA_DIR : PGlite ne verrouille rien et deux processus sur le même dossier perdent des données.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`data directory is in use by process ${pid} (${path}); stop it or point --database-url at a server`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'opsflux.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      const release = async () => {
        if (released) return;
        released = true;
        await rm(path, { force: true });
      };
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(path, pid);
      if (pid === process.pid) throw new DataDirLockedError(path, pid);
      // verrou orphelin (processus mort) : on le reprend
      await rm(path, { force: true });
    }
  }
  throw new Error(`cannot lock ${path}`);
}
