// Vérification du journal d'audit : recalcule la chaîne de hachage de chaque tenant et signale toute altération.
//
// Chaque tenant a une chaîne : `seq` est continu, `prev_hash` vaut l'empreinte de la ligne précédente (64 zéros pour
// la première), et `audit_head` garde la dernière ligne. Les lignes sont chaînées par le chaîneur juste après leur
// commit. La vérification chaîne d'abord ce qui attend encore, sous le verrou du chaîneur : une ligne écrite juste
// avant un arrêt brutal (kill -9) n'est pas une altération. Une ligne en attente ne peut pas avoir été retouchée
// entre-temps : les déclencheurs du journal (migration 24) refusent toute modification et toute suppression, au
// propriétaire aussi ; la vérification exige qu'ils soient actifs.
//
// Classement des problèmes (une ligne peut en cumuler plusieurs) :
//  - modified      : l'empreinte stockée diffère de celle recalculée depuis le contenu de la ligne à sa place
//                    (contenu, maillon, horodatage ou numéro altéré — une ligne déplacée l'est donc aussi) ;
//  - deleted       : trou dans `seq` (signalé au premier numéro manquant) ;
//  - reordered     : maillon rompu vers une ligne placée APRÈS la ligne qui la cite (impossible sans déplacement) ;
//                    dès que la chaîne en contient un, ses autres maillons rompus vers une autre ligne sont aussi
//                    classés « reordered » (ce sont les conséquences du même déplacement) ;
//  - inserted      : ligne au-delà de la tête, numéro hors chaîne (< 1), maillon qui ne mène à aucune ligne de la
//                    chaîne (ligne ou maillon fabriqué), ou, sans déplacement, maillon qui saute en arrière
//                    par-dessus des lignes (signalé à la première ligne sautée : elle a été glissée là) ;
//  - head_mismatch : la chaîne finit avant sa tête, ou la ligne désignée par la tête n'a pas son empreinte
//                    (suppression ou réécriture de la queue), ou la chaîne a des lignes mais pas de tête ;
//  - unguarded     : un déclencheur de protection du journal est absent ou désactivé.
// Limite : un superutilisateur qui désactive les déclencheurs puis réécrit la queue ET la tête de façon cohérente, ou
// ajoute une ligne avant son chaînage, n'est pas détectable ici (il faudrait ancrer les têtes hors de la base).
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { inTenant, type Tx } from '../db/transaction.js';
import { listTenants } from '../tenancy/tenants.js';
import { platformStatement } from '../db/transaction.js';
import { AUDIT_GUARDS } from '../db/migrations/024-audit-guard.js';
import { chainPending } from './chainer.js';

export type AuditProblemKind = 'modified' | 'deleted' | 'inserted' | 'reordered' | 'head_mismatch' | 'unguarded';

export interface AuditProblem {
  tenantId: string;
  /** rang dans la chaîne (null : ligne hors chaîne, voir `id`) */
  seq: number | null;
  /** identifiant de la ligne, pour une ligne hors chaîne */
  id?: number;
  kind: AuditProblemKind;
  detail: string;
}

export interface TenantAuditReport {
  tenantId: string;
  slug: string;
  /** lignes relues et recalculées */
  rows: number;
  /** lignes écrites pendant la vérification, pas encore chaînées (normal pendant l'activité) */
  pending: number;
  ok: boolean;
  problems: AuditProblem[];
}

export interface AuditReport {
  ok: boolean;
  /** lignes en attente que la vérification a chaînées avant de vérifier (tous tenants) */
  chained: number;
  tenants: TenantAuditReport[];
}

export interface VerifyOptions {
  /** slug ou id d'un tenant ; absent : tous les tenants */
  tenant?: string;
}

export class UnknownTenantError extends Error {
  constructor(readonly tenant: string) {
    super(`unknown tenant "${tenant}"`);
  }
}

export const GENESIS_HASH = '0'.repeat(64);
/** lignes lues par requête (pagination par clé sur `seq`) : taille de lot technique, sans effet sur le verdict */
export const AUDIT_PAGE_SIZE = 5000;
/** empreintes cherchées par requête lors du classement des maillons rompus : taille de lot technique */
const LOOKUP_BATCH = 10_000;
const RANK: Record<AuditProblemKind, number> = { modified: 0, deleted: 1, inserted: 2, reordered: 3, head_mismatch: 4, unguarded: 5 };

interface PageRow {
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  expected: string | null;
  head_seq: number | null;
  head_hash: string | null;
  /** empreinte stockée de la ligne que désigne la tête (null : pas de telle ligne) */
  head_row_hash: string | null;
}

interface Head {
  seq: number;
  hash: string;
  rowHash: string | null;
}

type Report = (seq: number, kind: AuditProblemKind, detail: string) => void;

const range = (from: number, to: number) => (from === to ? `row ${from}` : `rows ${from}–${to}`);

export async function verifyAudit(db: Db, options: VerifyOptions = {}): Promise<AuditReport> {
  const all = await listTenants(db);
  const tenants = options.tenant ? all.filter((t) => t.slug === options.tenant || t.id === options.tenant) : all;
  if (options.tenant && tenants.length === 0) throw new UnknownTenantError(options.tenant);
  const chained = await chainPending(db);
  const unguarded = await missingGuards(db);
  const reports: TenantAuditReport[] = [];
  for (const tenant of tenants) {
    // audit_log a FORCE ROW LEVEL SECURITY : la lecture se fait sous le rôle applicatif, dans le tenant
    const report = await inTenant(db, { tenantId: tenant.id }, async (trx) => {
      const problems: AuditProblem[] = unguarded.map((name) => ({
        tenantId: tenant.id, seq: null, kind: 'unguarded' as const, detail: `the trigger ${name} that protects the audit log is missing or disabled`,
      }));
      const rows = await verifyChain(trx, (seq, kind, detail) => problems.push({ tenantId: tenant.id, seq, kind, detail }));
      const pending = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL`.execute(trx)).rows[0]!.n);
      problems.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || (a.id ?? 0) - (b.id ?? 0) || RANK[a.kind] - RANK[b.kind]);
      return { tenantId: tenant.id, slug: tenant.slug, rows, pending, ok: problems.length === 0, problems };
    });
    reports.push(report);
  }
  return { ok: reports.every((r) => r.ok), chained, tenants: reports };
}

/** Déclencheurs de protection du journal absents ou désactivés (`tgenabled` = 'D'). */
async function missingGuards(db: Db): Promise<string[]> {
  const { rows } = await platformStatement(db, sql<{ name: string }>`
    SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND tgenabled <> 'D' AND tgname = ANY(${[...AUDIT_GUARDS]}::text[])`);
  const active = new Set(rows.map((r) => r.name));
  return AUDIT_GUARDS.filter((name) => !active.has(name));
}

/**
 * Une page de la chaîne et sa tête, lues dans la MÊME instruction (même instantané) : une écriture concurrente
 * ajoute ses lignes et avance la tête dans la même transaction, elle ne peut donc pas passer pour un ajout frauduleux.
 */
function readPage(trx: Tx, after: number | null) {
  const from = after === null ? sql`seq IS NOT NULL` : sql`seq > ${after}`;
  return sql<PageRow>`
    SELECT l.seq, l.prev_hash, l.hash, l.expected, h.seq AS head_seq, h.hash AS head_hash, h.row_hash AS head_row_hash
    FROM (SELECT 1) AS one
    LEFT JOIN (
      SELECT h.seq, h.hash, (SELECT a.hash FROM audit_log a WHERE a.seq = h.seq) AS row_hash
      FROM audit_head h
    ) AS h ON true
    LEFT JOIN LATERAL (
      SELECT seq, prev_hash, hash,
             audit_hash(id, tenant_id, seq, prev_hash, at, actor, action, entity, record_id, changes, request_id, ip) AS expected
      FROM audit_log WHERE ${from} ORDER BY seq LIMIT ${AUDIT_PAGE_SIZE}
    ) AS l ON true
    ORDER BY l.seq`.execute(trx);
}

/** Vérifie la chaîne du tenant page par page ; renvoie le nombre de lignes relues. */
async function verifyChain(trx: Tx, report: Report): Promise<number> {
  let rows = 0;
  let previous = { seq: 0, hash: GENESIS_HASH };
  let cursor: number | null = null;
  let head: Head | null = null;
  // maillons rompus (hors trou) : classés à la fin, en cherchant en base la ligne qu'ils désignent
  const broken: { seq: number; prevHash: string }[] = [];
  for (;;) {
    const page: PageRow[] = (await readPage(trx, cursor)).rows;
    const first = page[0];
    head = first?.head_seq == null ? null : { seq: Number(first.head_seq), hash: first.head_hash!, rowHash: first.head_row_hash };
    let read = 0;
    for (const row of page) {
      if (row.seq === null) continue; // page vide : la ligne ne porte que la tête
      const seq = Number(row.seq);
      read++;
      rows++;
      cursor = seq;
      if (row.expected !== row.hash) report(seq, 'modified', 'the stored hash does not match the row content');
      if (seq < 1) {
        report(seq, 'inserted', `sequence number ${seq} is outside the chain, which starts at 1`);
        continue;
      }
      if (seq > previous.seq + 1) {
        // après un trou, le maillon désigne légitimement une ligne disparue : le trou suffit à l'expliquer
        report(previous.seq + 1, 'deleted', `${range(previous.seq + 1, seq - 1)} missing`);
      } else if (row.prev_hash !== previous.hash) {
        broken.push({ seq, prevHash: row.prev_hash! });
      }
      if (head && seq > head.seq) report(seq, 'inserted', `the row is beyond the chain head (row ${head.seq})`);
      previous = { seq, hash: row.hash! };
    }
    if (read < AUDIT_PAGE_SIZE) break;
  }

  // fin de chaîne, comparée à la tête lue dans le même instantané que la dernière page
  if (!head) {
    if (rows > 0) report(previous.seq, 'head_mismatch', 'the chain has rows but no head');
  } else if (previous.seq < head.seq) {
    report(head.seq, 'head_mismatch', `the chain ends at row ${previous.seq} but its head is row ${head.seq}: the tail was removed`);
  } else if ((head.seq === 0 ? GENESIS_HASH : head.rowHash) !== head.hash) {
    report(head.seq, 'head_mismatch', head.rowHash === null && head.seq !== 0
      ? `the head designates row ${head.seq}, which is missing`
      : `row ${head.seq} does not have the hash recorded in the head`);
  }

  await classifyLinks(trx, broken, report);
  return rows;
}

/** Classe les maillons rompus selon la position de la ligne qu'ils désignent (voir l'en-tête du fichier). */
async function classifyLinks(trx: Tx, broken: { seq: number; prevHash: string }[], report: Report): Promise<void> {
  if (broken.length === 0) return;
  const positions = new Map<string, number[]>([[GENESIS_HASH, [0]]]);
  const wanted = [...new Set(broken.map((b) => b.prevHash))].filter((h) => h !== GENESIS_HASH);
  for (let i = 0; i < wanted.length; i += LOOKUP_BATCH) {
    const { rows } = await sql<{ seq: number; hash: string }>`
      SELECT seq, hash FROM audit_log WHERE hash = ANY(${wanted.slice(i, i + LOOKUP_BATCH)}::text[])`.execute(trx);
    for (const row of rows) positions.set(row.hash, [...(positions.get(row.hash) ?? []), Number(row.seq)]);
  }
  const targets = broken.map((b) => (positions.get(b.prevHash) ?? []).filter((t) => t !== b.seq));
  const moved = broken.some((b, i) => targets[i]!.some((t) => t > b.seq));
  broken.forEach((b, i) => {
    const found = targets[i]!;
    if (found.length === 0) {
      report(b.seq, 'inserted', 'the row links to a hash found nowhere in its chain: the row or its link was forged');
      return;
    }
    const later = found.find((t) => t > b.seq);
    if (later !== undefined) {
      report(b.seq, 'reordered', `the row links to row ${later}, which comes after it`);
      return;
    }
    const target = Math.max(...found);
    if (moved) report(b.seq, 'reordered', `the row links to row ${target} instead of row ${b.seq - 1}: rows were moved`);
    else report(target + 1, 'inserted', `row ${b.seq} links to row ${target}: ${range(target + 1, b.seq - 1)} slipped into the chain`);
  });
}
