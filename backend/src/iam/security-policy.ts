// Politique de sécurité des connexions. Valeurs par défaut ici ; elles passeront dans les réglages du tenant quand le
// service de configuration existera (ticket des services transverses).
export interface SecurityPolicy {
  /** échecs consécutifs qui verrouillent le compte (sur tous les nœuds) */
  lockoutThreshold: number;
  lockoutMinutes: number;
}

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = { lockoutThreshold: 10, lockoutMinutes: 15 };
