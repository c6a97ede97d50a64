// Liens courts : code généré ou choisi (unique sur toute la plateforme, jamais réattribué), cible http(s) limitée aux
// domaines permis par le réglage du tenant (pas de redirection ouverte), mot de passe gardé en empreinte, résolution
// publique de /s/<code> avec comptage des clics et statistiques par jour et par provenance.
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { asPlatform, inTenant, platformStatement, type Tx } from '../../db/transaction.js';
import type { HookBus, HookPayload } from '../../events/hooks.js';
import { ProblemError, validationFailed } from '../../errors/problem.js';
import type { Settings } from '../../config/settings.js';
import type { Catalog } from '../../engine/registry.js';
import { hashPassword, verifyPassword } from '../../iam/passwords.js';
import { parseHttpUrl } from '../outbound/http-url.js';

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Code aléatoire sans caractères ambigus (l, 1, I, O, 0). */
export function randomCode(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Cible permise : http ou https, et sur un domaine autorisé quand la liste n'est pas vide. */
export function targetProblem(target: string, allowedDomains: string[]): string | undefined {
  const url = parseHttpUrl(target);
  if (typeof url === 'string') return url;
  const host = url.hostname.toLowerCase();
  if (allowedDomains.length && !allowedDomains.some((d) => host === d || host.endsWith(`.${d}`))) return `Domain ${host} is not in shortener.allowedDomains`;
  return undefined;
}

export type Resolution =
  | { kind: 'redirect'; target: string }
  | { kind: 'password'; wrong: boolean }
  | { kind: 'gone' }
  | { kind: 'missing' };

interface LinkRow {
  id: string;
  target: string;
  expires_at: Date | null;
  password_hash: string | null;
  deleted_at: Date | null;
}

export class ShortLinks {
  constructor(private readonly db: Db, private readonly settings: Settings, private readonly catalogOf: (tenantId: string) => Promise<Catalog>) {}

  install(hooks: HookBus): void {
    hooks.on('beforeCreate', 'short_link', (payload) => this.prepare(payload));
    hooks.on('beforeUpdate', 'short_link', (payload) => this.prepare(payload));
    // le code rejoint le registre de la plateforme dans la même transaction que le lien
    hooks.on('afterCreate', 'short_link', async ({ trx, ctx, after }) => {
      await sql`INSERT INTO short_code (code, tenant_id, link_id) VALUES (${after!.code as string}, ${ctx.tenantId}, ${after!.id as string})`.execute(trx);
    });
  }

  private async prepare({ event, trx, ctx, data, before }: HookPayload): Promise<void> {
    if (!data) return;
    if (event === 'beforeUpdate' && data.code !== undefined && data.code !== before?.code) {
      throw validationFailed([{ field: 'code', code: 'read_only', message: 'The code of a short link cannot change' }]);
    }
    if (typeof data.target === 'string') {
      const allowed = await this.settings.value<string[]>('shortener.allowedDomains', { tenantId: ctx.tenantId }, trx);
      const problem = targetProblem(data.target, allowed);
      if (problem) throw validationFailed([{ field: 'target', code: 'target_not_allowed', message: problem }]);
    }
    if (event === 'beforeCreate') {
      if (typeof data.code === 'string') {
        if (await codeTaken(trx, data.code)) throw new ProblemError(409, 'code_taken', 'This code is already used', [{ field: 'code', code: 'code_taken', message: 'This code is already used' }]);
      } else {
        data.code = await this.freeCode(trx, await this.settings.value<number>('shortener.codeLength', { tenantId: ctx.tenantId }, trx));
      }
    }
    if ('password' in data) {
      const password = data.password;
      delete data.password;
      data.passwordHash = typeof password === 'string' && password ? await hashPassword(password) : null;
      data.protected = Boolean(data.passwordHash);
    }
  }

  private async freeCode(trx: Tx, length: number): Promise<string> {
    for (;;) {
      const code = randomCode(length);
      if (!(await codeTaken(trx, code))) return code;
    }
  }

  /** Résout un code public ; avec `password`, vérifie le mot de passe d'un lien protégé. Compte le clic redirigé. */
  async resolve(code: string, options: { password?: string; referrer?: string } = {}): Promise<Resolution> {
    // le registre des codes est commun à la plateforme : lu sous son rôle, puis le lien dans son tenant
    const owner = (await platformStatement(this.db, sql<{ tenant_id: string; link_id: string }>`SELECT tenant_id, link_id FROM short_code WHERE code = ${code}`)).rows[0];
    if (!owner) return { kind: 'missing' };
    const table = sql.table((await this.catalogOf(owner.tenant_id)).get('short_link')!.table);
    return inTenant(this.db, { tenantId: owner.tenant_id }, async (trx) => {
      const link = (await sql<LinkRow>`SELECT id, target, expires_at, password_hash, deleted_at FROM ${table} WHERE id = ${owner.link_id}`.execute(trx)).rows[0];
      if (!link || link.deleted_at) return { kind: 'missing' } as const;
      if (link.expires_at && link.expires_at.getTime() <= Date.now()) return { kind: 'gone' } as const;
      if (link.password_hash) {
        if (options.password === undefined) return { kind: 'password', wrong: false } as const;
        if (!(await verifyPassword(link.password_hash, options.password))) return { kind: 'password', wrong: true } as const;
      }
      // statistiques, pas une modification métier : ni version ni audit
      await sql`UPDATE ${table} SET clicks = clicks + 1, last_click_at = now() WHERE id = ${link.id}`.execute(trx);
      await sql`INSERT INTO short_link_click (tenant_id, link_id, referrer) VALUES (app_tenant(), ${link.id}, ${referrerHost(options.referrer)})`.execute(trx);
      return { kind: 'redirect', target: link.target } as const;
    });
  }
}

/** Code déjà pris sur la plateforme (tous tenants), sans égard à la casse (index short_code_folded). */
async function codeTaken(trx: Tx, code: string): Promise<boolean> {
  return asPlatform(trx, async () => (await sql`SELECT 1 FROM short_code WHERE lower(code) = lower(${code})`.execute(trx)).rows.length > 0);
}

/** Provenance d'un clic : l'hôte du référent seulement (pas de chemin ni de paramètres personnels). */
function referrerHost(referrer: string | undefined): string | null {
  if (!referrer) return null;
  try {
    return new URL(referrer).hostname.slice(0, 253) || null;
  } catch {
    return null;
  }
}
