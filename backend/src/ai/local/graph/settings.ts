// Réglages du graphe des enregistrements : profondeur et taille d'un voisinage ou d'une recherche de chemin (chaque
// niveau coûte une requête par référence entrante, faite avec les droits de l'utilisateur).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export const GRAPH_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.graph.maxDepth', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 5 }, default: 3,
    label: { en: 'Knowledge graph: neighbourhood depth at most (links from the record)', fr: 'Graphe des enregistrements : profondeur d’un voisinage au plus (liens depuis la fiche)' },
  }),
  defineSetting({
    key: 'ai.local.graph.maxNodes', scope: 'tenant', schema: { type: 'integer', minimum: 2, maximum: 1000 }, default: 60,
    label: { en: 'Knowledge graph: records in a neighbourhood at most', fr: 'Graphe des enregistrements : enregistrements d’un voisinage au plus' },
  }),
  defineSetting({
    key: 'ai.local.graph.maxPathDepth', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 8 }, default: 4,
    label: { en: 'Knowledge graph: links of a path at most', fr: 'Graphe des enregistrements : liens d’un chemin au plus' },
  }),
  defineSetting({
    key: 'ai.local.graph.maxPathNodes', scope: 'tenant', schema: { type: 'integer', minimum: 10, maximum: 10000 }, default: 1000,
    label: { en: 'Knowledge graph: records explored to find a path at most', fr: 'Graphe des enregistrements : enregistrements parcourus pour trouver un chemin au plus' },
  }),
];
