// Vocabulaire fixe du parseur, en français et en anglais (formes normalisées : minuscules, sans accents) : mots vides,
// synonymes d'entités et de valeurs d'enum, verbes destructeurs refusés, intentions (compter, totaliser, trier).

/** Mots ignorés dans la recherche des termes (articles, prépositions de liaison, politesse). */
export const STOP_WORDS = new Set([
  'le', 'la', 'les', 'l', 'un', 'une', 'des', 'du', 'de', 'd', 'au', 'aux', 'et', 'ou', 'en', 'a', 'dans', 'sur', 'pour', 'avec', 'qui', 'que', 'dont',
  'ont', 'sont', 'est', 'ete', 'mes', 'nos', 'tous', 'toutes', 'tout', 'moi', 'me', 'montre', 'montrer', 'affiche', 'afficher', 'liste', 'lister',
  'donne', 'donner', 'trouve', 'trouver', 'cherche', 'chercher', 'quels', 'quelles', 'quel', 'quelle', 'je', 'veux', 'voir', 'stp', 'svp', 'il', 'y',
  'the', 'an', 'of', 'in', 'at', 'on', 'for', 'with', 'and', 'or', 'to', 'from', 'that', 'which', 'who', 'are', 'is', 'was', 'were', 'my', 'our', 'all',
  'show', 'list', 'find', 'get', 'give', 'display', 'what', 'me', 'please', 'whose', 'having', 'has', 'have', 'their', 'its', 'any', 'there',
]);

/** Synonymes d'entités (nom de l'entité → formes normalisées supplémentaires). */
export const ENTITY_SYNONYMS: Record<string, string[]> = {
  customer: ['clients', 'clientele', 'acheteurs', 'customers', 'clients'],
  supplier: ['vendors', 'vendor', 'fournisseurs', 'prestataires'],
  employee: ['salaries', 'salarie', 'collaborateurs', 'staff', 'personnel', 'employes', 'employees'],
  partner: ['partenaires', 'partners'],
  company: ['societes', 'entreprises', 'entreprise', 'companies', 'firms'],
  holiday: ['jours feries', 'jour ferie', 'feries', 'public holidays', 'bank holidays'],
  exchange_rate: ['taux de change', 'taux', 'rates', 'fx rates', 'exchange rates'],
  business_unit: ['departements', 'departments', 'services', 'unites'],
  address: ['adresses', 'addresses'],
  party: ['tiers', 'parties', 'contacts'],
  tag: ['etiquettes', 'tags'],
  category: ['categories'],
  site: ['sites', 'etablissements'],
  country: ['pays', 'countries'],
  currency: ['devises', 'monnaies', 'currencies'],
};

/** Formes d'une valeur d'enum dans l'autre langue (valeur → synonymes normalisés). */
export const VALUE_SYNONYMS: Record<string, string[]> = {
  person: ['personnes', 'personne', 'particuliers', 'particulier', 'people', 'individuals', 'individual', 'persons'],
  organisation: ['organisations', 'organisation', 'organizations', 'organization', 'societes', 'entreprises', 'companies'],
  billing: ['facturation', 'invoicing'],
  shipping: ['livraison', 'delivery'],
  office: ['bureau', 'bureaux'],
  home: ['domicile'],
  reseller: ['revendeurs', 'revendeur', 'resellers', 'distributeurs'],
  integrator: ['integrateurs', 'integrateur', 'integrators'],
  referrer: ['apporteurs', 'apporteur', 'prescripteurs', 'referrers'],
  other: ['autre', 'autres'],
  draft: ['brouillon', 'brouillons'],
  open: ['ouvert', 'ouverts', 'ouvertes'],
  closed: ['ferme', 'fermes', 'clos', 'closes'],
  cancelled: ['annule', 'annules', 'annulees', 'canceled'],
  confirmed: ['confirme', 'confirmes', 'confirmees'],
};

/** Verbes d'écriture : le parseur ne construit que des lectures et refuse ces demandes. */
export const DESTRUCTIVE = new Set([
  'supprime', 'supprimer', 'supprimez', 'efface', 'effacer', 'effacez', 'detruis', 'detruire', 'vide', 'vider', 'purge', 'purger',
  'modifie', 'modifier', 'modifiez', 'change', 'changer', 'remplace', 'remplacer', 'cree', 'creer', 'creez', 'ajoute', 'ajouter', 'ajoutez',
  'archive', 'archiver', 'mets', 'mettre', 'mettez', 'renomme', 'renommer', 'fusionne', 'fusionner', 'importe', 'importer', 'restaure', 'restaurer',
  'rename', 'merge', 'import', 'restore', 'approve', 'valider', 'annuler', 'cancel', 'envoie', 'envoyer', 'desactive', 'desactiver',
  'delete', 'remove', 'drop', 'truncate', 'erase', 'destroy', 'update', 'insert', 'create', 'add', 'set', 'alter', 'wipe', 'clear', 'send',
  'deactivate', 'disable', 'grant', 'revoke', 'exec', 'execute',
]);

export const COUNT_WORDS = [['combien'], ['how', 'many'], ['how', 'much'], ['nombre'], ['number'], ['count'], ['compte'], ['compter']];
export const SUM_WORDS = [['total'], ['totaux'], ['somme'], ['sum'], ['cumul']];
export const AVG_WORDS = [['moyenne'], ['moyen'], ['average'], ['avg'], ['mean']];
export const MAX_WORDS = [['maximum'], ['max']];
export const MIN_WORDS = [['minimum'], ['min']];
/** Regroupement (« par ville », « by customer », « per category »). */
export const GROUP_WORDS = new Set(['par', 'by', 'per', 'selon']);
/** Tri explicite (« trié par », « sorted by », « order by »). */
export const SORT_WORDS = new Set(['trie', 'tries', 'triees', 'classe', 'classes', 'classees', 'sorted', 'sort', 'order', 'ordered', 'ranked']);
export const DESC_WORDS = new Set(['decroissant', 'decroissante', 'desc', 'descending', 'inverse']);
export const ASC_WORDS = new Set(['croissant', 'croissante', 'asc', 'ascending']);
/** « les plus gros », « the biggest » : valeur numérique décroissante. */
export const BIG_WORDS = new Set(['gros', 'grand', 'grande', 'eleve', 'elevee', 'important', 'importante', 'fort', 'forts', 'grosses', 'grands', 'grandes', 'eleves', 'elevees', 'importants', 'importantes', 'biggest', 'largest', 'highest', 'top', 'meilleurs', 'best']);
export const SMALL_WORDS = new Set(['petit', 'petite', 'faible', 'bas', 'basse', 'petits', 'petites', 'faibles', 'bas', 'smallest', 'lowest']);
export const RECENT_WORDS = new Set(['recents', 'recentes', 'recent', 'derniers', 'dernieres', 'latest', 'newest', 'nouveaux', 'nouvelles']);
export const OLD_WORDS = new Set(['anciens', 'anciennes', 'oldest', 'premiers', 'premieres', 'earliest']);
export const ALPHA_WORDS = [['ordre', 'alphabetique'], ['alphabetique'], ['alphabetical'], ['alphabetically']];
/** « sans e-mail », « without tags » : champ vide ; « avec », « with » : rempli. */
export const WITHOUT_WORDS = new Set(['sans', 'without', 'no', 'aucun', 'aucune', 'missing']);
/** Champs de date système nommés par un participe (« créés », « modifiés »). */
export const CREATED_WORDS = new Set(['crees', 'creees', 'cree', 'creee', 'created', 'ajoutes', 'ajoutees', 'added', 'new', 'nouveaux', 'nouvelles', 'inscrits', 'creation']);
/** « prochains jours fériés », « upcoming holidays » : à partir d'aujourd'hui, dans l'ordre. */
export const UPCOMING_WORDS = new Set(['prochains', 'prochaines', 'upcoming', 'futurs', 'futures', 'future']);
export const UPDATED_WORDS = new Set(['modifies', 'modifiees', 'updated', 'changed', 'modified', 'modification']);
