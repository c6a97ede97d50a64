// Automatisation : règles « quand … et si … alors … » configurées par les administrateurs (voir services/automation).
import { defineEntity } from '@opsflux/sdk';

export const hookRuleEntity = defineEntity({
  name: 'hook_rule',
  module: 'core',
  label: { en: 'Automation rule', fr: "Règle d'automatisation" },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    /** entité surveillée */
    entity: { type: 'string', required: true, pattern: '^[a-z][a-z0-9_]{0,62}$', label: { en: 'Entity', fr: 'Entité' } },
    /** `created`, `updated`, `deleted`, `restored` ou un événement de module (`crm.deal_won`) */
    events: { type: 'tags', required: true, label: { en: 'When (events)', fr: 'Quand (événements)' } },
    /** mise à jour : seulement si l'un de ces champs change */
    changedFields: { type: 'tags', label: { en: 'Only when these fields change', fr: 'Seulement si ces champs changent' } },
    /** condition dans le langage de filtres JSON, sur l'enregistrement après l'écriture */
    condition: { type: 'json', label: { en: 'Condition (JSON filter)', fr: 'Condition (filtre JSON)' } },
    /** actions : [{"type":"webhook"|"email"|"notify"|"setFields"|"job", …}] */
    actions: { type: 'json', required: true, label: { en: 'Actions', fr: 'Actions' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Active' } },
    position: { type: 'integer', default: 0, label: { en: 'Order', fr: 'Ordre' } },
    description: { type: 'text', label: { en: 'Description', fr: 'Description' } },
  },
});
