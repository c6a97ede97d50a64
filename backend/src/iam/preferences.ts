// Préférences utilisateur : clés typées déclarées par le cœur et les modules (avec leur valeur par défaut),
// valeurs propres à chaque utilisateur dans l'entité `user_preference`.
import { sql } from 'kysely';
import type { Tx } from '../db/transaction.js';
import type { Catalog } from '../engine/registry.js';
import type { RecordService } from '../engine/crud/service.js';
import type { RequestContext } from '../engine/context.js';
import { notFound, validationFailed } from '../errors/problem.js';

export interface PreferenceDeclaration {
  key: string;
  type: 'string' | 'boolean' | 'integer' | 'enum' | 'json';
  default: unknown;
  values?: string[];
  min?: number;
  max?: number;
  /** type json : contrôle de la valeur (message d'erreur, undefined si elle est valide) */
  validate?: (value: unknown) => string | undefined;
}

export const CORE_PREFERENCES: PreferenceDeclaration[] = [
  { key: 'theme', type: 'enum', values: ['light', 'dark', 'auto'], default: 'auto' },
  { key: 'pageSize', type: 'integer', min: 10, max: 200, default: 50 },
  { key: 'dateFormat', type: 'enum', values: ['locale', 'iso'], default: 'locale' },
  { key: 'notifications.email', type: 'boolean', default: true },
];

export class Preferences {
  private readonly declared = new Map<string, PreferenceDeclaration>();

  constructor(private readonly records: () => RecordService) {
    this.declare(...CORE_PREFERENCES);
  }

  declare(...declarations: PreferenceDeclaration[]): void {
    for (const d of declarations) this.declared.set(d.key, d);
  }

  /** Valeurs par défaut complétées des valeurs enregistrées par l'utilisateur. */
  async effective(trx: Tx, catalog: Catalog, userId: string): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = Object.fromEntries([...this.declared.values()].map((d) => [d.key, d.default]));
    const model = catalog.get('user_preference')!;
    const { rows } = await sql<{ key: string; value: unknown }>`SELECT key, value FROM ${sql.table(model.table)}
      WHERE ${sql.ref(model.byName.get('user')!.column)} = ${userId} AND deleted_at IS NULL`.execute(trx);
    for (const row of rows) if (this.declared.has(row.key)) values[row.key] = row.value;
    return values;
  }

  /** Enregistre une préférence de l'utilisateur courant (création ou mise à jour, auditée). */
  async set(trx: Tx, ctx: RequestContext, catalog: Catalog, key: string, value: unknown): Promise<void> {
    const declaration = this.declared.get(key);
    if (!declaration) throw notFound(`Unknown preference "${key}"`);
    const problem = check(declaration, value);
    if (problem) throw validationFailed([{ field: 'value', code: 'invalid_value', message: problem }]);
    const model = catalog.get('user_preference')!;
    // écriture au nom de l'utilisateur sur SA préférence : pas de permission d'entité requise
    await this.records().upsertByEid(trx, { ...ctx, system: true }, catalog, model, `${ctx.userId}:${key}`, { user: ctx.userId, key, value });
  }
}

function check(d: PreferenceDeclaration, value: unknown): string | undefined {
  switch (d.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Expected true or false';
    case 'integer':
      if (!Number.isInteger(value)) return 'Expected an integer';
      if ((d.min !== undefined && (value as number) < d.min) || (d.max !== undefined && (value as number) > d.max)) return `Expected a number between ${d.min} and ${d.max}`;
      return undefined;
    case 'enum':
      return typeof value === 'string' && d.values?.includes(value) ? undefined : `Expected one of ${d.values?.join(', ')}`;
    case 'string':
      return typeof value === 'string' && value.length <= 1000 ? undefined : 'Expected a string of at most 1000 characters';
    case 'json':
      return d.validate ? d.validate(value) : undefined;
  }
}
