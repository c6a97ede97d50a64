// Garde du rôle propriétaire : une instruction envoyée sur la connexion racine (propriétaire, superutilisateur sur
// PGlite, donc hors RLS) n'est permise que dans une transaction sous rôle (inTenant, inPlatform — sur PGlite elles
// passent par la connexion racine) ou dans un travail de propriétaire déclaré (`ownerWork` : migrations, DDL du
// schéma, maintenance). Toute autre instruction est refusée : un oubli ne lit jamais les données de tous les tenants.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';

interface RoleScope {
  /** la connexion racine peut servir ici (transaction PGlite sous rôle, ou travail de propriétaire) */
  root: boolean;
}

const scopes = new AsyncLocalStorage<RoleScope>();

export class OwnerStatementError extends Error {
  override name = 'OwnerStatementError';
}

/** Exécute `work` dans une portée de rôle (utilisé par db/transaction.ts). */
export function inRoleScope<T>(root: boolean, work: () => Promise<T>): Promise<T> {
  return scopes.run({ root }, work);
}

/** Travail du propriétaire sur la connexion racine : migrations, DDL, ANALYZE, verrous de démarrage. */
export function ownerWork<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run({ root: true }, work);
}

/**
 * Dialecte dont chaque instruction passe par la garde : la connexion n'exécute rien hors d'une portée qui permet la
 * connexion racine (les requêtes compilées d'avance comprises, que les greffons Kysely ne voient pas).
 */
export function guardDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => guardDriver(dialect.createDriver()),
  };
}

function guardDriver(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, property) {
      if (property === 'acquireConnection') return async () => guardConnection(await target.acquireConnection());
      return bound(target, property);
    },
  });
}

function guardConnection(connection: DatabaseConnection): DatabaseConnection {
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'executeQuery') {
        return <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
          if (!scopes.getStore()?.root) return Promise.reject(new OwnerStatementError(`statement on the owner connection outside a role transaction: ${query.sql.slice(0, 120)}`));
          return target.executeQuery<R>(query);
        };
      }
      return bound(target, property);
    },
  });
}

/** Propriété de l'objet d'origine, méthodes liées à lui (champs privés et symboles des pilotes Kysely). */
function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
