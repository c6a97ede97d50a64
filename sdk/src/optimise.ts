// Modèle d'optimisation linéaire (en nombres entiers au besoin) que le cœur résout pour l'API et pour les modules
// (`ctx.ai.solve`) : variables bornées, contraintes linéaires, objectif à maximiser ou minimiser.

/** Coefficients par nom de variable. */
export type LinearTerms = Record<string, number>;

export interface OptimisationVariable {
  /** borne basse (0 par défaut) ; `null` : pas de borne */
  min?: number | null;
  /** borne haute ; absente ou `null` : pas de borne */
  max?: number | null;
  /** valeur entière exigée */
  integer?: boolean;
}

export interface OptimisationConstraint {
  name?: string;
  terms: LinearTerms;
  op: '<=' | '>=' | '=';
  rhs: number;
}

export interface OptimisationModel {
  objective: { sense: 'max' | 'min'; terms: LinearTerms };
  variables: Record<string, OptimisationVariable>;
  constraints: OptimisationConstraint[];
  /** limite de temps demandée (secondes), plafonnée par le réglage de la plateforme */
  timeLimitSeconds?: number;
}

export type OptimisationStatus = 'optimal' | 'infeasible' | 'unbounded' | 'time_limit';

export interface OptimisationResult {
  status: OptimisationStatus;
  /** valeur de l'objectif (solution optimale, ou meilleure trouvée à la limite de temps) */
  objective: number | null;
  /** valeur de chaque variable (vide si aucune solution) */
  values: Record<string, number>;
  /** durée de la résolution (millisecondes) */
  durationMs: number;
}

/** Solveur prêté aux modules. */
export interface ModuleAi {
  /** résout le modèle (bornes de taille et de temps du tenant) ; un modèle trop grand est refusé (413) */
  solve(model: OptimisationModel): Promise<OptimisationResult>;
}
