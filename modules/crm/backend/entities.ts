// Entités du CRM et champs ajoutés aux clients du cœur.
import { defineEntity, extendEntity } from '@opsflux/sdk';

export const crmStage = defineEntity({
  name: 'crm_stage',
  label: { en: 'Pipeline stage', fr: 'Étape du pipeline' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    position: { type: 'integer', required: true, min: 0, label: { en: 'Position', fr: 'Position' } },
    probability: { type: 'integer', default: 0, min: 0, max: 100, label: { en: 'Probability (%)', fr: 'Probabilité (%)' } },
    outcome: { type: 'enum', default: 'open', options: { values: ['open', 'won', 'lost'] }, label: { en: 'Outcome', fr: 'Issue' } },
  },
});

export const crmLead = defineEntity({
  name: 'crm_lead',
  label: { en: 'Lead / opportunity', fr: 'Piste / opportunité' },
  display: 'title',
  fields: {
    title: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Title', fr: 'Intitulé' } },
    kind: { type: 'enum', default: 'lead', options: { values: ['lead', 'opportunity'] }, label: { en: 'Kind', fr: 'Nature' } },
    customer: { type: 'ref', options: { to: 'customer' }, label: { en: 'Customer', fr: 'Client' } },
    contactName: { type: 'string', maxLength: 200, label: { en: 'Contact', fr: 'Contact' } },
    email: { type: 'email', search: true, label: { en: 'Email', fr: 'E-mail' } },
    phone: { type: 'phone', label: { en: 'Phone', fr: 'Téléphone' } },
    source: { type: 'enum', options: { values: ['website', 'referral', 'event', 'campaign', 'other'] }, label: { en: 'Source', fr: 'Origine' } },
    stage: { type: 'ref', options: { to: 'crm_stage' }, label: { en: 'Stage', fr: 'Étape' } },
    status: { type: 'enum', default: 'open', readOnly: true, options: { values: ['open', 'won', 'lost'] }, label: { en: 'Status', fr: 'Statut' } },
    probability: { type: 'integer', min: 0, max: 100, label: { en: 'Probability (%)', fr: 'Probabilité (%)' } },
    expectedRevenue: { type: 'money', label: { en: 'Expected revenue', fr: 'Chiffre d’affaires attendu' } },
    expectedClose: { type: 'date', label: { en: 'Expected closing', fr: 'Clôture prévue' } },
    owner: { type: 'ref', options: { to: 'user' }, label: { en: 'Owner', fr: 'Responsable' } },
  },
});

export const crmActivity = defineEntity({
  name: 'crm_activity',
  label: { en: 'Activity', fr: 'Activité' },
  display: 'subject',
  fields: {
    lead: { type: 'ref', required: true, options: { to: 'crm_lead' }, label: { en: 'Lead', fr: 'Piste' } },
    type: { type: 'enum', default: 'call', options: { values: ['call', 'meeting', 'email', 'task'] }, label: { en: 'Type', fr: 'Type' } },
    subject: { type: 'string', required: true, maxLength: 200, label: { en: 'Subject', fr: 'Objet' } },
    dueAt: { type: 'datetime', label: { en: 'Due', fr: 'Échéance' } },
    done: { type: 'boolean', default: false, label: { en: 'Done', fr: 'Fait' } },
    notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
  },
});

export const customerCrmFields = extendEntity({
  entity: 'customer',
  fields: {
    crmSegment: {
      type: 'enum', options: { values: ['small', 'midmarket', 'enterprise'] }, label: { en: 'Segment', fr: 'Segment' },
      aiSuggest: { prompt: 'Estimate the size of the customer’s business from its name, notes, credit limit and tags.' },
    },
    crmLastContactAt: { type: 'datetime', readOnly: true, label: { en: 'Last contact', fr: 'Dernier contact' } },
  },
});
