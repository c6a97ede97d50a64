// `opsflux secrets rotate` et `opsflux secrets retire` : clés neuves et re-scellement de tous les secrets stockés, puis
// retrait des anciennes clés (voir backend keys/rotation.ts). Serveur arrêté sur la base embarquée (verrou du
// dossier), ou serveur en marche sur PostgreSQL (ses nœuds relisent leurs clés à l'annonce).
import { retireKeys, rotateKeys, type KeyChange, type SealedScan } from '@opsflux/backend';
import type { CommandContext } from './index.js';
import { count, output, withPlatform } from './open.js';

// ces commandes sortent justement les clés de la base : elles s'ouvrent même quand la production l'interdirait
const KEYS = { requireExternal: false };

export async function secretsRotate(ctx: CommandContext): Promise<number> {
  const report = await withPlatform(ctx, (platform) => rotateKeys(platform), { writes: true, keys: KEYS });
  const lines = [
    ...report.keys.map(describeKey),
    ...(report.file ? [`key file: ${report.file}`] : []),
    ...(report.platform.total.stale ? [`platform: ${count(report.platform.total.stale, 'secret')} re-sealed ${details(report.platform)}`] : []),
    ...report.tenants.filter((t) => t.total.stale).map((t) => `tenant ${t.slug}: ${count(t.total.stale, 'secret')} re-sealed ${details(t)}`),
    `re-sealed ${count(report.total.stale, 'stored secret')} under encryption key ${report.keys.find((k) => k.kind === 'encryption')!.keyId}`
      + ` (${count(report.tenants.length, 'tenant')} checked)`,
    ...(report.total.unreadable ? [`warning: ${count(report.total.unreadable, 'stored secret')} could not be opened with any known key and were left as they were`] : []),
    'older keys still open and verify what they produced; once every node uses the new keys and the access tokens issued before have expired, run "opsflux secrets retire"',
  ];
  output(ctx, report, lines);
  return 0;
}

export async function secretsRetire(ctx: CommandContext): Promise<number> {
  const report = await withPlatform(ctx, (platform) => retireKeys(platform), { keys: KEYS });
  const retired = Object.entries(report.retired).map(([kind, n]) => `${kind} ${n}`).join(', ');
  const lines = [
    `retired keys: ${retired}${report.file ? ` (key file ${report.file})` : ''}`,
    ...(report.databaseKeysDeleted ? [`deleted ${count(report.databaseKeysDeleted, 'key')} from the database`] : []),
    ...(report.databaseKeysKept ? [`kept the keys stored in the database: ${report.databaseKeysKept}`] : []),
    ...(report.environmentPrevious.length ? [`remove ${report.environmentPrevious.join(', ')} from the environment and restart every node`] : []),
    ...(report.scan.total.unreadable ? [`warning: ${count(report.scan.total.unreadable, 'stored secret')} could not be opened with any known key`] : []),
  ];
  output(ctx, report, lines);
  return 0;
}

function describeKey(change: KeyChange): string {
  const state = change.created ? 'new current key' : 'current key';
  return `${change.kind}: ${state} ${change.keyId} (${change.origin})${change.note ? ` — ${change.note}` : ''}`;
}

/** « (settings 1, user.totpSecret 2) ». */
function details(scan: SealedScan): string {
  return `(${Object.entries(scan.places).filter(([, t]) => t.stale).map(([place, t]) => `${place} ${t.stale}`).join(', ')})`;
}
