// Séquences de numérotation : préfixe et suffixe avec parties de date, remplissage, remise à zéro périodique, par
// société ; mode sans trou (verrou de ligne dans la transaction) ou rapide (compteur validé à part, trous possibles).
import { defineEntity } from '@opsflux/sdk';

export const sequenceEntity = defineEntity({
  name: 'sequence',
  module: 'core',
  label: { en: 'Sequence', fr: 'Séquence' },
  display: 'code',
  indexes: [{ fields: ['code', 'company'], unique: true }],
  fields: {
    code: { type: 'string', required: true, search: true, pattern: '^[a-z][a-z0-9_.-]{0,62}$', label: { en: 'Code', fr: 'Code' } },
    name: { type: 'string', required: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    company: { type: 'ref', options: { to: 'company' }, label: { en: 'Company (empty: all)', fr: 'Société (vide : toutes)' } },
    /** `{YYYY}`, `{YY}`, `{MM}`, `{DD}` remplacés par la date du tirage */
    prefix: { type: 'string', default: '', maxLength: 50, label: { en: 'Prefix', fr: 'Préfixe' } },
    suffix: { type: 'string', default: '', maxLength: 50, label: { en: 'Suffix', fr: 'Suffixe' } },
    padding: { type: 'integer', default: 5, min: 0, max: 20, label: { en: 'Digits', fr: 'Chiffres' } },
    step: { type: 'integer', default: 1, min: 1, max: 1000, label: { en: 'Step', fr: 'Pas' } },
    start: { type: 'integer', default: 1, min: 0, label: { en: 'First number', fr: 'Premier numéro' } },
    reset: { type: 'enum', default: 'never', options: { values: ['never', 'yearly', 'monthly', 'daily'] }, label: { en: 'Restart', fr: 'Remise à zéro' } },
    mode: { type: 'enum', default: 'gapless', options: { values: ['gapless', 'fast'] }, label: { en: 'Mode', fr: 'Mode' } },
  },
});
