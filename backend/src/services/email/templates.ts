// Modèles de courriel : défauts déclarés par le code, remplacés par tenant (entité `email_template`), choisis par
// langue (demandée, sa langue de base, langue par défaut du tenant `mail.defaultLocale`, puis `en`), validés à
// l'enregistrement (Mustache et MJML : 400 avec un message par champ).
import { sql } from 'kysely';
import type { Settings } from '../../config/settings.js';
import type { Tx } from '../../db/transaction.js';
import type { HookBus, HookPayload } from '../../events/hooks.js';
import { badRequest, validationFailed } from '../../errors/problem.js';
import { CORE_TEMPLATES, type DefaultTemplate } from './core-templates.js';
import { renderTemplate, templateProblems, type RenderedEmail, type TemplateSource } from './render.js';
import { EMAIL_TEMPLATE } from './template-entity.js';

export const FALLBACK_LOCALE = 'en';

export interface ResolvedTemplate {
  key: string;
  locale: string;
  source: TemplateSource;
  /** `tenant` : modèle du tenant ; `default` : défaut du code */
  origin: 'tenant' | 'default';
}

export class EmailTemplates {
  private readonly defaults = new Map<string, DefaultTemplate>();

  constructor(private readonly settings: Settings) {
    this.declare(...CORE_TEMPLATES);
  }

  /** Modèles par défaut (cœur, modules) ; une déclaration de même clé et langue remplace la précédente. */
  declare(...templates: DefaultTemplate[]): void {
    for (const t of templates) this.defaults.set(`${t.key}\n${t.locale}`, t);
  }

  list(): DefaultTemplate[] {
    return [...this.defaults.values()].sort((a, b) => a.key.localeCompare(b.key) || a.locale.localeCompare(b.locale));
  }

  install(hooks: HookBus): void {
    hooks.on('beforeCreate', EMAIL_TEMPLATE, (payload) => this.check(payload));
    hooks.on('beforeUpdate', EMAIL_TEMPLATE, (payload) => this.check(payload));
  }

  /** Le modèle tel qu'il sera enregistré (champs changés sur l'existant) doit se rendre. */
  private async check({ data, before }: HookPayload): Promise<void> {
    if (!data || !['subject', 'body', 'text'].some((f) => f in data)) return;
    const pick = (field: string) => (field in data ? data[field] : before?.[field]);
    const [subject, body, text] = [pick('subject'), pick('body'), pick('text')];
    if (typeof subject !== 'string' || typeof body !== 'string') return; // champs obligatoires : déjà vérifiés par le moteur
    const errors = await templateProblems({ subject, body, text: typeof text === 'string' ? text : null });
    if (errors.length) throw validationFailed(errors);
  }

  /** Langues essayées dans l'ordre : demandée, sa base (`fr` pour `fr-CA`), celle du tenant, `en`. */
  async localeChain(trx: Tx, tenantId: string, locale?: string | null): Promise<string[]> {
    const tenantDefault = await this.settings.value<string>('mail.defaultLocale', { tenantId }, trx);
    const chain = [locale, locale?.split('-')[0], tenantDefault, FALLBACK_LOCALE].filter((l): l is string => Boolean(l));
    return [...new Set(chain)];
  }

  /** Modèle à utiliser (tenant d'abord, pour chaque langue de la chaîne) ; undefined si la clé n'existe nulle part. */
  async resolve(trx: Tx, tenantId: string, key: string, locale?: string | null): Promise<ResolvedTemplate | undefined> {
    const chain = await this.localeChain(trx, tenantId, locale);
    const { rows } = await sql<{ locale: string; subject: string; body: string; text: string | null }>`
      SELECT locale, subject, body, text FROM ${sql.table(EMAIL_TEMPLATE)}
      WHERE key = ${key} AND locale = ANY(${chain}::text[]) AND deleted_at IS NULL`.execute(trx);
    for (const l of chain) {
      const own = rows.find((r) => r.locale === l);
      if (own) return { key, locale: l, origin: 'tenant', source: { subject: own.subject, body: own.body, text: own.text } };
      const fallback = this.defaults.get(`${key}\n${l}`);
      if (fallback) return { key, locale: l, origin: 'default', source: fallback };
    }
    return undefined;
  }

  /** Rendu d'un modèle ; clé inconnue → 400 sur le champ `template`. */
  async render(trx: Tx, tenantId: string, key: string, locale: string | null | undefined, variables?: Record<string, unknown>):
    Promise<RenderedEmail & { locale: string; origin: ResolvedTemplate['origin'] }> {
    const template = await this.resolve(trx, tenantId, key, locale);
    if (!template) throw badRequest('unknown_template', `No email template "${key}"`, [{ field: 'template', code: 'unknown_template', message: `No email template "${key}"` }]);
    return { ...(await renderTemplate(template.source, variables)), locale: template.locale, origin: template.origin };
  }
}
