// Action « appeler un webhook » : un abonnement du tenant reçoit l'événement de la règle (l'enregistrement tel
// qu'écrit), envoi signé déposé dans la transaction de l'écriture, même s'il n'est pas abonné à ce sujet.
import { sql } from 'kysely';
import type { Webhooks } from '../webhooks/webhooks.js';
import { actionError, type ActionType } from './rule-actions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function webhookAction(webhooks: () => Webhooks): ActionType {
  return {
    async validate(action, _entity, catalog, _ctx, trx) {
      const table = catalog.get('webhook')!.table;
      const known = typeof action.webhook === 'string' && UUID.test(action.webhook)
        && (await sql`SELECT 1 FROM ${sql.table(table)} WHERE id = ${action.webhook} AND deleted_at IS NULL`.execute(trx)).rows.length > 0;
      return known ? [] : [actionError('webhook', 'unknown_webhook', 'The id of a webhook of this workspace')];
    },
    async run(action, { trx, ctx, topic, record }) {
      await webhooks().enqueue(trx, ctx.tenantId, action.webhook as string, topic, record);
    },
  };
}
