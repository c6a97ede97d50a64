// Magasin de @fastify/rate-limit sur PostgreSQL : la fenêtre d'une clé de limitation est une ligne de
// `rate_limit_window`, partagée par tous les nœuds. Un coup = une instruction (INSERT … ON CONFLICT DO UPDATE …
// RETURNING) : la fenêtre échue repart à 1, sinon le compteur monte ; la base rend le compte et le temps restant.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { platformStatement } from '../../db/transaction.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface WindowRow {
  hits: number;
  ttl: number;
}

/** Compte un coup dans la fenêtre de `key` (durée `windowMs`) ; renvoie le nombre de coups et les ms restantes. */
export async function hitWindow(db: Db, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const { rows } = await platformStatement(db, sql<WindowRow>`
    INSERT INTO rate_limit_window AS w (key, hits, resets_at)
    VALUES (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN w.resets_at <= now() THEN 1 ELSE w.hits + 1 END,
      resets_at = CASE WHEN w.resets_at <= now() THEN excluded.resets_at ELSE w.resets_at END
    RETURNING hits, greatest(ceil(extract(epoch FROM resets_at - now()) * 1000), 0)::int AS ttl`);
  return { current: rows[0]!.hits, ttl: rows[0]!.ttl };
}

/** Lecture sans coup (pour `{ increment: false }` du greffon). */
export async function readWindow(db: Db, key: string): Promise<{ current: number; ttl: number }> {
  const { rows } = await platformStatement(db, sql<WindowRow>`
    SELECT hits, greatest(ceil(extract(epoch FROM resets_at - now()) * 1000), 0)::int AS ttl
    FROM rate_limit_window WHERE key = ${key} AND resets_at > now()`);
  return rows[0] ? { current: rows[0].hits, ttl: rows[0].ttl } : { current: 0, ttl: 0 };
}

/**
 * Classe de magasin à donner au greffon (`store`) : il l'instancie lui-même, d'où la fabrique qui lui lie la base.
 * `continueExceeding` et `exponentialBackoff` ne sont pas pris en charge : la fenêtre est fixe.
 */
export function pgRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class PgRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      hitWindow(db, key, timeWindow).then((result) => callback(null, result), (error: Error) => callback(error));
    }

    read(key: string, callback: Callback): void {
      readWindow(db, key).then((result) => callback(null, result), (error: Error) => callback(error));
    }

    child(): FastifyRateLimitStore {
      return new PgRateLimitStore();
    }
  }
  return PgRateLimitStore;
}
