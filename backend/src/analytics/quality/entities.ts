// Qualité des données : règles par entité et champ (complétude, unicité, motif, plage, référence, fraîcheur,
// doublons approchés), déclarées dans la console ou par les modules, et contrôles datés (score, enregistrements en
// défaut) écrits par le travail planifié — l'historique des scores.
import { defineEntity } from '@opsflux/sdk';

const core = 'core';

export const QUALITY_KINDS = ['completeness', 'uniqueness', 'pattern', 'range', 'referential', 'freshness', 'duplicates'] as const;
export type QualityKind = (typeof QUALITY_KINDS)[number];

export const qualityRuleEntity = defineEntity({
  name: 'quality_rule',
  module: core,
  label: { en: 'Data quality rule', fr: 'Règle de qualité des données' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    entity: { type: 'string', required: true, pattern: '^[a-z][a-z0-9_]{0,62}$', label: { en: 'Entity', fr: 'Entité' } },
    /** champ contrôlé (chemin pointé permis) ; fraîcheur : champ date, `updatedAt` par défaut */
    field: { type: 'string', maxLength: 200, label: { en: 'Field', fr: 'Champ' } },
    kind: { type: 'enum', required: true, options: { values: [...QUALITY_KINDS] }, label: { en: 'Check', fr: 'Contrôle' } },
    pattern: { type: 'string', maxLength: 500, label: { en: 'Pattern (regular expression)', fr: 'Motif (expression régulière)' } },
    min: { type: 'decimal', options: { precision: 24, scale: 6 }, label: { en: 'Minimum', fr: 'Minimum' } },
    max: { type: 'decimal', options: { precision: 24, scale: 6 }, label: { en: 'Maximum', fr: 'Maximum' } },
    maxAgeDays: { type: 'integer', min: 0, max: 36500, label: { en: 'Older than (days)', fr: 'Plus ancien que (jours)' } },
    similarity: { type: 'decimal', default: '0.8', min: 0, max: 1, options: { precision: 4, scale: 3 }, label: { en: 'Similarity of near duplicates', fr: 'Similarité des quasi-doublons' } },
    /** score en dessous duquel les administrateurs sont prévenus */
    minScore: { type: 'decimal', default: '0.95', min: 0, max: 1, options: { precision: 7, scale: 6 }, label: { en: 'Alert below score', fr: 'Alerte sous le score' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Active' } },
    module: { type: 'string', maxLength: 64, readOnly: true, label: { en: 'Module', fr: 'Module' } },
    lastScore: { type: 'decimal', readOnly: true, options: { precision: 7, scale: 6 }, label: { en: 'Last score', fr: 'Dernier score' } },
    lastCheckedAt: { type: 'datetime', readOnly: true, label: { en: 'Last checked', fr: 'Dernier contrôle' } },
  },
});

export const qualityCheckEntity = defineEntity({
  name: 'quality_check',
  module: core,
  label: { en: 'Data quality check', fr: 'Contrôle de qualité des données' },
  display: 'eid',
  fields: {
    rule: { type: 'ref', options: { to: 'quality_rule' }, readOnly: true, label: { en: 'Rule', fr: 'Règle' } },
    entity: { type: 'string', readOnly: true, label: { en: 'Entity', fr: 'Entité' } },
    checked: { type: 'integer', readOnly: true, label: { en: 'Records checked', fr: 'Enregistrements contrôlés' } },
    failed: { type: 'integer', readOnly: true, label: { en: 'Records at fault', fr: 'Enregistrements en défaut' } },
    score: { type: 'decimal', readOnly: true, options: { precision: 7, scale: 6 }, label: { en: 'Score', fr: 'Score' } },
    /** identifiants des enregistrements en défaut (les 100 premiers) */
    offending: { type: 'json', readOnly: true, label: { en: 'Records at fault', fr: 'Enregistrements en défaut' } },
    /** règle qui ne s'évalue pas (champ inconnu, motif invalide) */
    problem: { type: 'text', readOnly: true, label: { en: 'Problem', fr: 'Problème' } },
  },
});
