// Codes SQLSTATE propres à OpsFlux, levés par nos déclencheurs et traduits par le moteur.

/** Déplacement d'un nœud d'arbre sous l'un de ses descendants. */
export const TREE_CYCLE_SQLSTATE = 'OX001';
