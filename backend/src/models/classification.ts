// Classement : catégories et étiquettes hiérarchiques (profondeur libre, déplacement sans cycle, sous-arbres).
import { defineEntity } from '@opsflux/sdk';

const core = 'core';

export const categoryEntity = defineEntity({
  name: 'category',
  module: core,
  label: { en: 'Category', fr: 'Catégorie' },
  display: 'name',
  tree: true,
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    code: { type: 'string', unique: true, maxLength: 64, label: { en: 'Code', fr: 'Code' } },
    /** entité classée par cette catégorie (vide : toutes) */
    appliesTo: { type: 'string', maxLength: 63, label: { en: 'Applies to entity', fr: "S'applique à l'entité" } },
  },
});

export const tagEntity = defineEntity({
  name: 'tag',
  module: core,
  label: { en: 'Tag', fr: 'Étiquette' },
  display: 'name',
  tree: true,
  fields: {
    name: { type: 'string', required: true, unique: true, search: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    colour: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', label: { en: 'Colour', fr: 'Couleur' } },
  },
});
