// ConfigManager : valeurs des réglages déclarés, résolues de l'utilisateur vers la société, le tenant, la plateforme
// puis la valeur par défaut. Écritures validées (schéma JSON), auditées, secrets scellés ; chaque nœud garde un cache
// par tenant, vidé partout à la fois par NOTIFY après chaque écriture.
import type { FieldError, SettingLevel } from '@opsflux/sdk';
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { auditInsert, type AuditActor } from '../audit/writer.js';
import type { SecretBox } from '../keys/secret-box.js';
import { asPlatform, executeAtCommit, inTenant, platformStatement, type Tx } from '../db/transaction.js';
import type { Locale } from '../text/messages.js';
import { message } from '../text/messages.js';
import { schemaFieldErrors } from '../text/schema-errors.js';
import { badRequest, notFound, validationFailed } from '../errors/problem.js';
import type { RegisteredSetting, SettingsRegistry } from './registry.js';

export const SETTINGS_CHANNEL = 'opsflux_settings';
/** charge utile NOTIFY d'un changement au niveau plateforme : tous les tenants sont concernés */
const ALL = '*';
const MASK = '***';
// borne mémoire du cache face à des identifiants de tenant forgés : une protection, pas un réglage
const MAX_CACHED_TENANTS = 10_000;

interface StoredValue {
  level: SettingLevel;
  /** tenant, société ou utilisateur ; null au niveau plateforme */
  targetId: string | null;
  key: string;
  value: unknown;
}

/** Pour qui résoudre : le tenant, et s'ils sont connus la société courante et l'utilisateur. */
export interface SettingAudience {
  tenantId: string;
  companyId?: string | null;
  userId?: string | null;
}

/** Où poser une valeur : niveau et, pour une société ou un utilisateur, sa cible. */
export interface SettingTarget {
  level: SettingLevel;
  targetId?: string;
}

export interface ResolvedSetting {
  key: string;
  value: unknown;
  /** niveau qui a fourni la valeur, ou `default` */
  source: SettingLevel | 'default';
}

export interface SettingWriter extends AuditActor {
  locale: Locale;
}

/** Contrôle d'une valeur au-delà de son schéma (adresse permise…) : erreurs par champ, aucune si elle convient. */
export type SettingCheck = (value: unknown, writer: SettingWriter) => Promise<FieldError[]>;

/**
 * Sur PGlite (une seule connexion), une valeur pas encore en cache se lit par une transaction à elle : ne pas
 * l'appeler depuis une transaction ouverte (la lire avant).
 */
export class Settings {
  private platformRows?: Promise<StoredValue[]>;
  private readonly tenantRows = new Map<string, Promise<StoredValue[]>>();
  /** lectures du cache terminées : une lecture en cours attend la connexion, qu'une transaction ouverte peut tenir */
  private readonly settled = new WeakSet<Promise<StoredValue[]>>();
  private readonly checks = new Map<string, SettingCheck>();

  constructor(private readonly db: Kysely<any>, private readonly box: SecretBox, readonly registry: SettingsRegistry) {}

  /** Oublie les valeurs en cache (d'un tenant, ou toutes avec `*` ou sans argument). */
  invalidate(tenantId?: string): void {
    if (!tenantId || tenantId === ALL) {
      this.platformRows = undefined;
      this.tenantRows.clear();
    } else {
      this.tenantRows.delete(tenantId);
    }
  }

  /** Valeur effective d'un réglage pour ce public, et le niveau qui la fournit. */
  async resolve(key: string, audience: SettingAudience, trx?: Tx): Promise<ResolvedSetting> {
    const setting = this.declared(key);
    return this.pick(setting, await this.rows(audience.tenantId, trx), audience);
  }

  /**
   * Valeur effective d'un réglage pour ce public. `trx` : transaction de ce tenant déjà ouverte (code appelé en
   * pleine écriture, comme un crochet de module) ; hors cache, les valeurs sont lues dans cette transaction.
   */
  async value<T>(key: string, audience: SettingAudience, trx?: Tx): Promise<T> {
    return (await this.resolve(key, audience, trx)).value as T;
  }

  /** Valeur au niveau plateforme (ou par défaut) : pour ce qui précède l'existence d'un tenant. */
  async platformValue<T>(key: string): Promise<T> {
    const setting = this.declared(key);
    this.platformRows ??= this.loadPlatform();
    return this.pick(setting, await this.platformRows, { tenantId: '' }).value as T;
  }

  /** Toutes les valeurs effectives (secrets compris, en clair : usage interne). */
  async resolveAll(audience: SettingAudience): Promise<ResolvedSetting[]> {
    const rows = await this.rows(audience.tenantId);
    return this.registry.list().map((s) => this.pick(s, rows, audience));
  }

  /** Valeurs posées à chaque niveau pour ce public (pour l'écran d'administration). */
  async levels(key: string, audience: SettingAudience): Promise<Partial<Record<SettingLevel, unknown>>> {
    const setting = this.declared(key);
    const rows = await this.rows(audience.tenantId);
    const out: Partial<Record<SettingLevel, unknown>> = {};
    for (const level of setting.levels) {
      const row = rows.find((r) => r.key === key && r.level === level && r.targetId === targetOf(level, audience));
      if (row) out[level] = row.value;
    }
    return out;
  }

  /** Ajoute le contrôle d'un réglage, appliqué à chaque écriture après son schéma. */
  addCheck(key: string, check: SettingCheck): void {
    this.checks.set(key, check);
  }

  /** Pose une valeur (validée, auditée, propagée à tous les nœuds). */
  async set(writer: SettingWriter, key: string, value: unknown, target: SettingTarget): Promise<void> {
    const setting = this.declared(key);
    this.checkLevel(setting, target, writer.locale);
    if (!setting.validate(value)) throw validationFailed(schemaFieldErrors(setting.validate.errors, 'value', writer.locale));
    if (setting.capped && target.level !== 'platform') {
      // limite plafonnée : un tenant (ou plus précis) la resserre, jamais au-delà de la valeur de la plateforme
      const ceiling = await this.platformValue<number>(key);
      if ((value as number) > ceiling) throw validationFailed([{ field: 'value', code: 'above_platform_limit', message: message(writer.locale, 'above_platform_limit', { max: ceiling }) }]);
    }
    const problems = (await this.checks.get(key)?.(value, writer)) ?? [];
    if (problems.length) throw validationFailed(problems);
    await this.write(writer, setting, target, value);
  }

  /**
   * Fusionne un objet dans la valeur posée à ce niveau (JSON Merge Patch, RFC 7396 : `null` retire une entrée) ; sans
   * valeur à ce niveau, la fusion part d'un objet vide. Sert surtout aux secrets, que l'appelant ne peut pas relire
   * pour les réécrire en entier (une clé de fournisseur sans retaper les autres).
   */
  async merge(writer: SettingWriter, key: string, patch: Record<string, unknown>, target: SettingTarget): Promise<void> {
    const setting = this.declared(key);
    this.checkLevel(setting, target, writer.locale);
    const audience = {
      tenantId: writer.tenantId,
      userId: target.level === 'user' ? target.targetId ?? null : null,
      companyId: target.level === 'company' ? target.targetId ?? null : null,
    };
    const current = (await this.levels(key, audience))[target.level];
    await this.set(writer, key, mergePatch(isPlainObject(current) ? current : {}, patch), target);
  }

  /** Retire la valeur d'un niveau : le niveau plus large (ou la valeur par défaut) reprend la main. */
  async reset(writer: SettingWriter, key: string, target: SettingTarget): Promise<void> {
    const setting = this.declared(key);
    this.checkLevel(setting, target, writer.locale);
    await this.write(writer, setting, target, undefined);
  }

  declared(key: string): RegisteredSetting {
    const setting = this.registry.get(key);
    if (!setting) throw notFound(`Unknown setting "${key}"`);
    return setting;
  }

  private checkLevel(setting: RegisteredSetting, target: SettingTarget, locale: Locale): void {
    if (!setting.levels.includes(target.level)) {
      throw validationFailed([{ field: 'level', code: 'invalid_enum', message: message(locale, 'invalid_enum', { values: setting.levels.join(', ') }) }]);
    }
    if ((target.level === 'company' || target.level === 'user') && !target.targetId) {
      throw badRequest('validation_failed', `a ${target.level} setting needs the ${target.level} id`);
    }
  }

  private pick(setting: RegisteredSetting, rows: StoredValue[], audience: SettingAudience): ResolvedSetting {
    for (const level of [...setting.levels].reverse()) {
      const target = targetOf(level, audience);
      if (target === undefined) continue;
      const row = rows.find((r) => r.key === setting.key && r.level === level && r.targetId === target);
      if (!row) continue;
      const chosen: ResolvedSetting = { key: setting.key, value: row.value, source: level };
      return setting.capped && level !== 'platform' ? capped(setting, rows, chosen) : chosen;
    }
    return { key: setting.key, value: setting.default, source: 'default' };
  }

  /** Lignes du tenant et de la plateforme, en cache jusqu'à la prochaine écriture (sur n'importe quel nœud). */
  private async rows(tenantId: string, trx?: Tx): Promise<StoredValue[]> {
    // dans une transaction ouverte, attendre une lecture du cache en cours bloquerait PGlite (une seule connexion,
    // tenue par cette transaction) : on lit dans la transaction tant que le cache n'est pas prêt
    const ready = (promise?: Promise<StoredValue[]>) => promise !== undefined && this.settled.has(promise);
    if (trx && !(ready(this.platformRows) && ready(this.tenantRows.get(tenantId)))) return this.rowsIn(trx);
    this.platformRows ??= this.loadPlatform();
    let tenant = this.tenantRows.get(tenantId);
    if (!tenant) {
      // borne mémoire : des identifiants de tenant forgés (jetons falsifiés) ne doivent pas faire grossir le cache
      if (this.tenantRows.size >= MAX_CACHED_TENANTS) this.tenantRows.clear();
      tenant = this.load(() => inTenant(this.db, { tenantId }, (trx) =>
        sql<RawRow>`SELECT level, target_id, key, value, sealed FROM setting_value`.execute(trx), { singleStatement: true }));
      this.tenantRows.set(tenantId, tenant);
    }
    const [platform, own] = await Promise.all([this.platformRows, tenant]);
    return [...own, ...platform];
  }

  /** Lecture dans une transaction de tenant ouverte (sans cache : elle peut contenir des écritures non validées). */
  private async rowsIn(trx: Tx): Promise<StoredValue[]> {
    const own = await sql<RawRow>`SELECT level, target_id, key, value, sealed FROM setting_value`.execute(trx);
    const platform = await asPlatform(trx, () => sql<RawRow>`SELECT 'platform' AS level, NULL AS target_id, key, value, sealed FROM platform_setting`.execute(trx));
    return this.stored([...own.rows, ...platform.rows]);
  }

  private loadPlatform(): Promise<StoredValue[]> {
    return this.load(() => platformStatement(this.db, sql<RawRow>`SELECT 'platform' AS level, NULL AS target_id, key, value, sealed FROM platform_setting`));
  }

  private stored(rows: RawRow[]): StoredValue[] {
    return rows.map((r) => ({ level: r.level, targetId: r.target_id, key: r.key, value: this.storedValue(r) }));
  }

  private load(query: () => Promise<{ rows: RawRow[] }>): Promise<StoredValue[]> {
    const promise: Promise<StoredValue[]> = query().then(({ rows }) => this.stored(rows));
    promise.then(() => this.settled.add(promise), () => this.invalidate()); // pas d'échec mis en cache
    return promise;
  }

  private async write(writer: SettingWriter, setting: RegisteredSetting, target: SettingTarget, value: unknown): Promise<void> {
    const stored = value === undefined ? null : setting.secret
      ? { value: null, sealed: this.box.seal(JSON.stringify(value)) }
      : { value: JSON.stringify(value), sealed: null };
    const show = (v: unknown) => (v === undefined ? null : setting.secret ? MASK : v);
    if (target.level === 'platform') {
      // la valeur sous le rôle de plateforme, l'audit dans le tenant de l'auteur (rôle applicatif)
      await inTenant(this.db, { tenantId: writer.tenantId, userId: writer.userId }, async (trx) => {
        const before = await asPlatform(trx, async () => {
          const previous = await sql<RawRow>`SELECT value, sealed FROM platform_setting WHERE key = ${setting.key} FOR UPDATE`.execute(trx);
          if (stored) {
            await sql`INSERT INTO platform_setting (key, value, sealed, updated_by) VALUES (${setting.key}, ${stored.value}::jsonb, ${stored.sealed}, ${writer.userId})
              ON CONFLICT (key) DO UPDATE SET value = excluded.value, sealed = excluded.sealed, updated_at = now(), updated_by = excluded.updated_by`.execute(trx);
          } else {
            await sql`DELETE FROM platform_setting WHERE key = ${setting.key}`.execute(trx);
          }
          return previous;
        });
        await this.audit(trx, writer, setting, 'platform', null, show(this.storedValue(before.rows[0])), show(value));
        await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, ${ALL})`.execute(trx);
      });
      this.invalidate();
      return;
    }
    const targetId = target.level === 'tenant' ? writer.tenantId : target.targetId!;
    await inTenant(this.db, { tenantId: writer.tenantId, userId: writer.userId }, async (trx) => {
      if (target.level !== 'tenant') await this.checkTarget(trx, target.level, targetId);
      const before = await sql<RawRow>`SELECT value, sealed FROM setting_value
        WHERE level = ${target.level} AND target_id = ${targetId} AND key = ${setting.key} FOR UPDATE`.execute(trx);
      if (stored) {
        await sql`INSERT INTO setting_value (id, tenant_id, level, target_id, key, value, sealed, updated_by)
          VALUES (${uuidv7()}, app_tenant(), ${target.level}, ${targetId}, ${setting.key}, ${stored.value}::jsonb, ${stored.sealed}, app_user())
          ON CONFLICT (tenant_id, level, target_id, key) DO UPDATE SET value = excluded.value, sealed = excluded.sealed, updated_at = now(), updated_by = excluded.updated_by`.execute(trx);
      } else {
        await sql`DELETE FROM setting_value WHERE level = ${target.level} AND target_id = ${targetId} AND key = ${setting.key}`.execute(trx);
      }
      await this.audit(trx, writer, setting, target.level, targetId, show(this.storedValue(before.rows[0])), show(value));
      await executeAtCommit(trx, sql`SELECT pg_notify(${SETTINGS_CHANNEL}, ${writer.tenantId})`);
    });
    this.invalidate(writer.tenantId);
  }

  /** Valeur d'une ligne stockée, secret ouvert ; undefined sans ligne. */
  private storedValue(row: Pick<RawRow, 'value' | 'sealed'> | undefined): unknown {
    if (!row) return undefined;
    return row.sealed !== null ? JSON.parse(this.box.open(row.sealed)) : row.value;
  }

  /** La société ou l'utilisateur visé doit exister dans le tenant (RLS : un id d'un autre tenant est introuvable). */
  private async checkTarget(trx: Tx, level: SettingLevel, targetId: string): Promise<void> {
    const table = level === 'company' ? 'company' : 'app_user';
    const { rows } = await sql`SELECT 1 FROM ${sql.table(table)} WHERE id = ${targetId} AND deleted_at IS NULL`.execute(trx);
    if (rows.length === 0) throw notFound(`Unknown ${level} ${targetId}`);
  }

  private async audit(trx: Tx, writer: SettingWriter, setting: RegisteredSetting, level: SettingLevel, targetId: string | null, from: unknown, to: unknown): Promise<void> {
    const changes = { [setting.key]: { from: from ?? null, to: to ?? null }, level: { from: null, to: level }, ...(targetId ? { target: { from: null, to: targetId } } : {}) };
    await auditInsert(writer, [{ action: to === null ? 'setting.reset' : 'setting.set', entity: 'setting', recordId: null, changes }]).execute(trx);
  }
}

interface RawRow {
  level: SettingLevel;
  target_id: string | null;
  key: string;
  value: unknown;
  sealed: string | null;
}

/** Limite plafonnée : la valeur d'un niveau plus précis, ramenée à celle de la plateforme (posée ou par défaut) si elle la dépasse. */
function capped(setting: RegisteredSetting, rows: StoredValue[], chosen: ResolvedSetting): ResolvedSetting {
  const platform = rows.find((r) => r.key === setting.key && r.level === 'platform');
  const ceiling = (platform ? platform.value : setting.default) as number;
  return (chosen.value as number) > ceiling ? { key: setting.key, value: ceiling, source: platform ? 'platform' : 'default' } : chosen;
}

function targetOf(level: SettingLevel, audience: SettingAudience): string | null | undefined {
  switch (level) {
    case 'platform': return null;
    case 'tenant': return audience.tenantId;
    case 'company': return audience.companyId ?? undefined;
    case 'user': return audience.userId ?? undefined;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON Merge Patch (RFC 7396) d'un objet dans un autre. */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete out[name];
    else out[name] = isPlainObject(value) ? mergePatch(isPlainObject(out[name]) ? out[name] : {}, value) : value;
  }
  return out;
}
