// Kysely au dialecte PostgreSQL sur un pilote donné : session serveur, ou compilation sans base (pilote factice).
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Driver } from 'kysely';

export function postgresKysely(driver: Driver): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

/** Compile du SQL PostgreSQL sans connexion (texte et paramètres), pour mettre en cache ou inspecter. */
export const sqlCompiler = postgresKysely(new DummyDriver());
