// Lexique du métier (relation client, livraison, facturation) : mots chargés dans un ERP que les lexiques généraux
// ignorent ou notent à contresens (« grave », « support », « responsable »). Polarités entre -1 et 1 ; complété APRÈS la
// mesure sur le jeu étiqueté (précision du sentiment 0,906 avant, voir la documentation).
export const DOMAIN_FR: Record<string, number> = {
  réclamation: -0.5, plainte: -0.5, plaint: -0.4, plaindre: -0.4, grave: -0.5, erroné: -0.5, erronée: -0.5, erreur: -0.4, erreurs: -0.4,
  inacceptable: -0.8, problème: -0.4, problèmes: -0.4, défectueux: -0.6, défaut: -0.4, menace: -0.5, menacent: -0.5,
  résilier: -0.5, résiliation: -0.5, litige: -0.6, retard: -0.4, panne: -0.6, cassé: -0.5, annuler: -0.4, perdu: -0.5,
  impayé: -0.5, relance: 0, responsable: 0, sur: 0, dernier: 0, support: 0,
};

export const DOMAIN_EN: Record<string, number> = {
  support: 0, late: -0.4, delay: -0.4, delayed: -0.4, defect: -0.5, faulty: -0.6, unpaid: -0.5, overdue: -0.4,
  refund: -0.2, complaint: -0.5, complaints: -0.5, outage: -0.6,
};
