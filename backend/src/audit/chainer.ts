// Chaîneur de l'audit : donne leur rang et leur empreinte aux lignes écrites par les requêtes, juste après leur commit.
// Tourne sous le rôle de plateforme (fonction `audit_chain`, verrou consultatif : un seul nœud chaîne à la fois).
import { sql } from 'kysely';
import { DrainWorker } from '../background/drain-loop.js';
import type { Db } from '../db/database.js';
import { platformStatement } from '../db/transaction.js';

/** lignes chaînées par transaction : taille de lot technique, sans effet sur la chaîne produite */
const BATCH = 1000;

export class AuditChainer extends DrainWorker {
  constructor(private readonly db: Db, onError: (error: unknown) => void = () => undefined) {
    // le chaînage peut attendre un peu : des lots plus gros coûtent moins par ligne
    super(onError, { settleMs: 200 });
  }

  override start(intervalMs = 1000): void {
    super.start(intervalMs);
  }

  protected async pass(): Promise<void> {
    await this.drain();
  }

  /** Chaîne tout ce qui attend ; renvoie le nombre de lignes chaînées. */
  drain(): Promise<number> {
    return chainPending(this.db);
  }
}

/**
 * Chaîne toutes les lignes en attente, tous tenants, sous le verrou du chaîneur (attendu s'il est pris) ; renvoie
 * leur nombre. Aussi appelé par `audit verify` avant de vérifier : une ligne écrite juste avant un arrêt brutal est
 * chaînée, pas prise pour une altération.
 */
export async function chainPending(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await platformStatement(db, sql<{ n: number }>`SELECT audit_chain(${BATCH}) AS n`);
    const n = Number(rows[0]!.n);
    total += n;
    if (n < BATCH) return total;
  }
}
