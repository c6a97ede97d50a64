// Abonnement webhook : une entité du moteur (API CRUD, audit, eid, suppression douce, permissions `webhook:*`, pages
// génériques et OpenAPI). Le secret de signature est chiffré avant d'être écrit et n'est jamais relu par l'API
// générique ; le compteur d'échecs et la désactivation automatique sont tenus par le service d'envoi. L'adresse et les
// en-têtes, contrôlés par les crochets de l'entité (webhook-rules.ts), ne sont pas écrits par les règles d'automatisation.
import { CHECKED_BY_HOOKS, defineEntity } from '@opsflux/sdk';

export const webhookEntity = defineEntity({
  name: 'webhook',
  module: 'core',
  label: { en: 'Webhook', fr: 'Webhook' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, maxLength: 200, search: true, label: { en: 'Name', fr: 'Nom' } },
    url: { type: 'url', required: true, maxLength: 2000, search: true, writableBy: CHECKED_BY_HOOKS, label: { en: 'Endpoint URL', fr: 'Adresse du destinataire' } },
    /** sujets : `customer.created`, `customer.*`, `*` */
    events: { type: 'tags', required: true, label: { en: 'Events', fr: 'Événements' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Actif' } },
    description: { type: 'text', maxLength: 2000, label: { en: 'Description', fr: 'Description' } },
    /** en-têtes ajoutés à chaque envoi ({"Authorization": "…"}) ; ceux d'OpsFlux ne peuvent pas être remplacés */
    headers: { type: 'json', writableBy: CHECKED_BY_HOOKS, label: { en: 'Custom headers', fr: 'En-têtes personnalisés' } },
    /** généré à la création s'il n'est pas fourni ; gardé chiffré ; lisible par les administrateurs (GET /api/v1/webhooks/{id}/secret) */
    secret: { type: 'text', writeOnly: true, sealed: true, maxLength: 200, label: { en: 'Signing secret', fr: 'Secret de signature' } },
    failureCount: { type: 'integer', readOnly: true, default: 0, label: { en: 'Consecutive failed deliveries', fr: 'Envois échoués consécutifs' } },
    disabledAt: { type: 'datetime', readOnly: true, label: { en: 'Disabled automatically at', fr: 'Désactivé automatiquement le' } },
    disabledReason: { type: 'text', readOnly: true, label: { en: 'Reason of the automatic disable', fr: 'Motif de la désactivation automatique' } },
  },
});
