// Instructions préparées côté serveur, par connexion : l'analyse et la planification d'une requête du moteur (un
// INSERT avec son audit et son événement dans un WITH, par exemple) coûtent plus cher que son exécution. Chaque texte
// SQL reçoit un nom la première fois qu'il passe sur une connexion (`PREPARE`), puis s'exécute par `EXECUTE nom(…)`,
// dans le même paquet de protocole simple que BEGIN, le contexte et le COMMIT : un seul aller-retour demeure.
import type { CompiledQuery } from 'kysely';
import pg from 'pg';

/** Nombre d'instructions préparées gardées par connexion ; au-delà, tout est libéré (DEALLOCATE ALL) et on repart (mémoire du serveur, sans effet fonctionnel). */
export const PREPARED_PER_CONNECTION = 256;

/** Seules ces instructions se préparent (pas le DDL des métadonnées, ni les commandes de session). */
const PREPARABLE = /^\s*(?:select|insert|update|delete|with|values)\b/i;

const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils.prepareValue;

/**
 * Littéral SQL d'un texte, identique à `pg.escapeLiteral` (guillemets doublés ; s'il y a des barres obliques
 * inverses, doublées dans un E'…') mais par remplacements natifs : l'original construit la chaîne caractère par
 * caractère, ce qui coûte cher en mémoire pour les grands tableaux d'un import.
 */
export function quoteLiteral(text: string): string {
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/**
 * Texte avec un caractère NUL : aucun texte PostgreSQL n'en contient, et le message de protocole simple s'arrêterait
 * là (« invalid message format », une erreur de protocole). Refusé comme le serveur refuse un paramètre lié : même
 * SQLSTATE, donc une valeur invalide (400) et non une erreur interne.
 */
class NulCharacterError extends Error {
  readonly code = '22021';
  constructor() {
    super('invalid byte sequence for encoding "UTF8": 0x00');
  }
}

/** Littéral SQL d'un paramètre, converti par `pg` (dates, tableaux, JSON) puis échappé. */
export function sqlLiteral(parameter: unknown): string {
  // octets : forme hexadécimale de bytea (un octet nul dans un message de protocole simple est refusé)
  if (parameter instanceof Uint8Array) return `'\\x${Buffer.from(parameter).toString('hex')}'`;
  const value = prepareValue(parameter);
  if (value === null || value === undefined) return 'NULL';
  const text = String(value);
  if (text.includes('\u0000')) throw new NulCharacterError();
  return quoteLiteral(text);
}

/** Remplace `$n` par le littéral SQL du paramètre n (le SQL compilé ne contient aucun autre `$`). */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => sqlLiteral(parameters[Number(index) - 1]));
}

interface ConnectionStatements {
  /** texte SQL → nom, pour les instructions dont la préparation a réussi */
  names: Map<string, string>;
  /** compteur de noms : un nom n'est jamais réutilisé, même après un échec dont on ignore s'il a préparé ou non */
  issued: number;
  /** noms émis depuis la dernière libération (préparations orphelines d'un paquet en échec comprises) */
  live: number;
  /** incrémentée à chaque libération : une préparation d'avant ne doit plus être retenue */
  generation: number;
}

const connections = new WeakMap<object, ConnectionStatements>();

/** Texte à envoyer pour une instruction, et ce qu'il faut retenir une fois le paquet exécuté sans erreur. */
export interface StatementText {
  text: string;
  /** à appeler quand le paquet a réussi : la préparation est alors certaine */
  prepared(): void;
}

/**
 * Texte protocole simple d'une instruction compilée sur cette connexion : `EXECUTE` d'une instruction déjà préparée,
 * `PREPARE … ; EXECUTE …` la première fois, ou le SQL aux paramètres insérés pour ce qui ne se prépare pas.
 */
export function statementText(connection: object, compiled: CompiledQuery): StatementText {
  if (!PREPARABLE.test(compiled.sql)) return { text: inlineParameters(compiled.sql, compiled.parameters), prepared: () => undefined };
  // littéraux d'abord : un paramètre refusé ne laisse aucun nom émis ni aucune libération à moitié faite
  const literals = compiled.parameters.map(sqlLiteral);
  let state = connections.get(connection);
  if (!state) connections.set(connection, (state = { names: new Map(), issued: 0, live: 0, generation: 0 }));
  const execute = (name: string) => (literals.length ? `EXECUTE ${name}(${literals.join(', ')})` : `EXECUTE ${name}`);
  const known = state.names.get(compiled.sql);
  if (known) return { text: execute(known), prepared: () => undefined };
  // plus de place : on libère tout, dans le même paquet (DEALLOCATE n'est pas transactionnel et ne peut échouer)
  let reset = '';
  if (state.live >= PREPARED_PER_CONNECTION) {
    state.names.clear();
    state.live = 0;
    state.generation++;
    reset = 'DEALLOCATE ALL; ';
  }
  state.live++;
  const name = `ofx_${++state.issued}`;
  const { generation } = state;
  const owner = state;
  return {
    text: `${reset}PREPARE ${name} AS ${compiled.sql}; ${execute(name)}`,
    prepared: () => {
      if (owner.generation === generation) owner.names.set(compiled.sql, name);
    },
  };
}
