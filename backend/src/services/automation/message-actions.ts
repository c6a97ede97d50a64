// Actions « envoyer un courriel » et « notifier » : textes et destinataires remplis par l'enregistrement
// (`{{champ}}`), déposés dans la transaction de l'écriture. Un courriel dont l'adresse reste vide après remplissage
// (champ non renseigné) n'est pas envoyé : l'écriture de l'utilisateur n'échoue pas pour autant.
import type { EmailService } from '../email/email-service.js';
import type { NotificationService } from '../notifications/service.js';
import { PRIORITIES, type Priority } from '../notifications/types.js';
import { actionError, fillStrings, fillTemplate, isObject, type ActionType } from './rule-actions.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (value: unknown) => typeof value === 'string' && value.trim().length > 0;

export function emailAction(email: () => EmailService): ActionType {
  return {
    validate(action) {
      const errors = [];
      if (!text(action.to)) errors.push(actionError('to', 'required', 'An address or a template such as {{email}}'));
      if (action.template === undefined && (!text(action.subject) || !text(action.text))) {
        errors.push(actionError('template', 'required', 'A template key, or a subject and a text'));
      }
      if (action.template !== undefined && !text(action.template)) errors.push(actionError('template', 'type', 'A template key'));
      if (action.variables !== undefined && !isObject(action.variables)) errors.push(actionError('variables', 'type', 'Must be a JSON object'));
      return errors;
    },
    async run(action, { trx, ctx, record }) {
      const to = fillTemplate(action.to as string, record).trim();
      if (!EMAIL.test(to)) return;
      const variables = { ...fillStrings((action.variables ?? {}) as Record<string, unknown>, record), record };
      const common = { tenantId: ctx.tenantId, to, locale: (action.locale as string | undefined) ?? null, variables, trx, userId: ctx.userId };
      await email().send(typeof action.template === 'string'
        ? { ...common, template: action.template }
        : { ...common, subject: fillTemplate(action.subject as string, record), text: fillTemplate(action.text as string, record) });
    },
  };
}

export function notifyAction(notifications: () => NotificationService): ActionType {
  return {
    validate(action) {
      const errors = [];
      const list = (value: unknown) => value === undefined || (Array.isArray(value) && value.every(text));
      if (!list(action.users)) errors.push(actionError('users', 'type', 'A list of user ids or templates such as {{salesRep}}'));
      if (!list(action.roles)) errors.push(actionError('roles', 'type', 'A list of role names or ids'));
      if (!(action.users as unknown[] | undefined)?.length && !(action.roles as unknown[] | undefined)?.length) errors.push(actionError('roles', 'required', 'At least one user or role'));
      if (!text(action.title)) errors.push(actionError('title', 'required', 'A title (may use {{field}})'));
      if (action.priority !== undefined && !(PRIORITIES as readonly unknown[]).includes(action.priority)) errors.push(actionError('priority', 'enum', `One of ${PRIORITIES.join(', ')}`));
      return errors;
    },
    async run(action, { trx, ctx, entity, record, rule }) {
      // destinataires remplis par l'enregistrement (« {{salesRep}} ») : un champ vide ne désigne personne
      const users = (action.users as string[] | undefined)?.map((u) => fillTemplate(u, record).trim()).filter((u) => UUID.test(u));
      const roles = action.roles as string[] | undefined;
      if (!users?.length && !roles?.length) return;
      await notifications().notify({
        tenantId: ctx.tenantId, trx,
        users, roles,
        title: fillTemplate(action.title as string, record),
        body: typeof action.body === 'string' ? fillTemplate(action.body, record) : undefined,
        priority: (action.priority as Priority | undefined) ?? 'normal',
        link: typeof action.link === 'string' ? fillTemplate(action.link, record) : `/app/data/${entity.name}/${String(record.id)}`,
        groupKey: `rule:${rule.id}:${String(record.id)}`,
        category: 'automation',
      });
    },
  };
}
