// Profil d'accès d'un utilisateur : ses groupes (avec leurs ancêtres), ses rôles (directs et par groupes), et ce que
// ces rôles accordent — permissions, règles d'enregistrements, règles de champs — combinés de façon permissive :
// un droit accordé par un rôle suffit ; une restriction ne vaut que si tous les rôles qui accordent le droit l'imposent.
import { ENTITY_ACTIONS, type EntityAction } from '../../engine/access.js';

export interface RoleRow {
  id: string;
  name: string;
  admin: boolean;
  mfaRequired: boolean;
  permissions: string[];
}

export interface RecordRuleRow {
  role: string;
  entity: string;
  actions: string[] | null;
  filter: unknown;
}

export interface FieldRuleRow {
  role: string;
  entity: string;
  field: string;
  access: 'hidden' | 'readonly';
}

/** Ce que l'utilisateur peut faire d'une action sur une entité : sans restriction, ou sous l'un des filtres. */
export interface Grant {
  unrestricted: boolean;
  /** un filtre par rôle restreint (à combiner par OR) */
  filters: unknown[];
}

export interface AccessProfile {
  userId: string;
  superAdmin: boolean;
  /** administrateur du tenant (rôle `admin`) : tous les droits du tenant */
  admin: boolean;
  /** un de ses rôles exige la double authentification */
  mfaRequired: boolean;
  mfaEnrolled: boolean;
  roles: Array<{ id: string; name: string }>;
  groupIds: string[];
  companyIds: string[];
  currentCompanyId: string | null;
  /** codes `entité:action` accordés (hors administrateurs) */
  permissions: string[];
  grant(entity: string, action: EntityAction): Grant | undefined;
  /** champs masqués / en lecture seule par entité */
  hidden: ReadonlyMap<string, ReadonlySet<string>>;
  readOnly: ReadonlyMap<string, ReadonlySet<string>>;
  /** empreinte des règles de champs : deux profils de même clé voient les mêmes modèles */
  fieldKey: string;
}

export interface ProfileInput {
  userId: string;
  superAdmin: boolean;
  mfaEnrolled?: boolean;
  roles: RoleRow[];
  groupIds: string[];
  companyIds: string[];
  currentCompanyId: string | null;
  recordRules: RecordRuleRow[];
  fieldRules: FieldRuleRow[];
}

/** Actions couvertes par une règle d'enregistrements sans liste explicite. */
export const DEFAULT_RULE_ACTIONS: readonly EntityAction[] = ['read', 'update', 'delete', 'export'];

const ALL = new Set<string>(ENTITY_ACTIONS);

export function buildProfile(input: ProfileInput): AccessProfile {
  const admin = input.roles.some((r) => r.admin);
  const grants = new Map<string, Grant>();
  const granting = (code: string) => input.roles.filter((r) => r.permissions.includes(code));
  for (const code of new Set(input.roles.flatMap((r) => r.permissions))) {
    const [entity, action] = splitCode(code);
    if (!entity || !ALL.has(action)) continue;
    const filters: unknown[] = [];
    let unrestricted = false;
    for (const role of granting(code)) {
      const rules = input.recordRules.filter((rule) => rule.role === role.id && rule.entity === entity
        && (rule.actions?.length ? rule.actions : (DEFAULT_RULE_ACTIONS as readonly string[])).includes(action));
      if (rules.length === 0) unrestricted = true;
      else filters.push(rules.length === 1 ? rules[0]!.filter : { and: rules.map((r) => r.filter) });
    }
    grants.set(code, { unrestricted, filters: unrestricted ? [] : filters });
  }
  const hidden = restrictions(input, 'read', (rule) => rule.access === 'hidden');
  const readOnly = restrictions(input, 'update', () => true);
  return {
    userId: input.userId,
    superAdmin: input.superAdmin,
    admin,
    mfaRequired: input.roles.some((r) => r.mfaRequired),
    mfaEnrolled: input.mfaEnrolled ?? false,
    roles: input.roles.map((r) => ({ id: r.id, name: r.name })),
    groupIds: input.groupIds,
    companyIds: input.companyIds,
    currentCompanyId: input.currentCompanyId,
    permissions: [...grants.keys()].sort(),
    grant: (entity, action) => grants.get(`${entity}:${action}`),
    hidden,
    readOnly,
    fieldKey: admin || input.superAdmin ? '' : keyOf(hidden),
  };
}

/**
 * Champs restreints d'une entité : une règle ne compte que si CHAQUE rôle qui accorde l'action sur l'entité
 * (lecture pour masquer, modification pour figer) pose une règle retenue par `applies` sur ce champ.
 */
function restrictions(input: ProfileInput, action: EntityAction, applies: (rule: FieldRuleRow) => boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const entities = new Set(input.fieldRules.map((r) => r.entity));
  for (const entity of entities) {
    const roles = input.roles.filter((r) => r.permissions.includes(`${entity}:${action}`));
    if (roles.length === 0) continue;
    const fields = new Set(input.fieldRules.filter((r) => r.entity === entity).map((r) => r.field));
    for (const field of fields) {
      const everywhere = roles.every((role) => input.fieldRules.some((r) => r.role === role.id && r.entity === entity && r.field === field && applies(r)));
      if (!everywhere) continue;
      const set = out.get(entity) ?? new Set<string>();
      set.add(field);
      out.set(entity, set);
    }
  }
  return out;
}

function splitCode(code: string): [string, string] {
  const i = code.lastIndexOf(':');
  return i < 0 ? ['', ''] : [code.slice(0, i), code.slice(i + 1)];
}

function keyOf(hidden: Map<string, Set<string>>): string {
  return [...hidden].map(([entity, fields]) => `${entity}:${[...fields].sort().join(',')}`).sort().join(';');
}
