// Entrées de menu du cœur : listes génériques des entités de base et écrans d'administration. Les modules ajoutent
// les leurs (manifeste), les administrateurs les réordonnent, les renomment, les masquent ou en ajoutent (menu_item).
import type { ModuleMenu } from '@opsflux/sdk';

const entry = (id: string, en: string, fr: string, entity: string, parent: string, order: number, icon?: string): ModuleMenu =>
  ({ id, label: { en, fr }, entity, parent, order, permission: `${entity}:read`, ...(icon ? { icon } : {}) });

export const CORE_MENUS: ModuleMenu[] = [
  // tableaux de bord personnels et partagés (analyse décisionnelle)
  { id: 'dashboards', label: { en: 'Dashboards', fr: 'Tableaux de bord' }, icon: 'bar-chart', path: '/dashboards', order: 2, permission: 'dashboard:read' },
  { id: 'parties', label: { en: 'Contacts', fr: 'Tiers' }, icon: 'group', order: 5 },
  entry('parties.customers', 'Customers', 'Clients', 'customer', 'parties', 1),
  entry('parties.suppliers', 'Suppliers', 'Fournisseurs', 'supplier', 'parties', 2),
  entry('parties.employees', 'Employees', 'Employés', 'employee', 'parties', 3),
  entry('parties.partners', 'Partners', 'Partenaires', 'partner', 'parties', 4),
  entry('parties.addresses', 'Addresses', 'Adresses', 'address', 'parties', 5),
  // intelligence locale : prévisions, processus, graphe… (chaque onglet vérifie ses droits)
  { id: 'insights', label: { en: 'Insights', fr: 'Analyses' }, icon: 'lightbulb', path: '/insights', order: 60 },
  // entités créées par les administrateurs (concepteur d'entités) : une entrée chacune, ajoutée par menu-tree
  { id: 'custom', label: { en: 'Custom objects', fr: 'Objets personnalisés' }, icon: 'puzzle', order: 70 },
  { id: 'organisation', label: { en: 'Organisation', fr: 'Organisation' }, icon: 'org-chart', order: 80 },
  entry('organisation.companies', 'Companies', 'Sociétés', 'company', 'organisation', 1),
  entry('organisation.units', 'Business units', "Unités d'organisation", 'business_unit', 'organisation', 2),
  entry('organisation.sites', 'Sites', 'Sites', 'site', 'organisation', 3),
  entry('organisation.calendars', 'Calendars', 'Calendriers', 'calendar', 'organisation', 4),
  { id: 'reference', label: { en: 'Reference data', fr: 'Données de référence' }, icon: 'database', order: 85 },
  entry('reference.currencies', 'Currencies', 'Devises', 'currency', 'reference', 1),
  entry('reference.rates', 'Exchange rates', 'Taux de change', 'exchange_rate', 'reference', 2),
  entry('reference.units', 'Units of measure', 'Unités de mesure', 'uom', 'reference', 3),
  entry('reference.countries', 'Countries', 'Pays', 'country', 'reference', 4),
  entry('reference.categories', 'Categories', 'Catégories', 'category', 'reference', 5),
  entry('reference.tags', 'Tags', 'Étiquettes', 'tag', 'reference', 6),
  entry('reference.sequences', 'Sequences', 'Séquences', 'sequence', 'reference', 7),
  { id: 'admin', label: { en: 'Administration', fr: 'Administration' }, icon: 'action-settings', order: 90 },
  entry('admin.users', 'Users', 'Utilisateurs', 'user', 'admin', 1),
  entry('admin.groups', 'Groups', 'Groupes', 'group', 'admin', 2),
  entry('admin.roles', 'Roles', 'Rôles', 'role', 'admin', 3),
  { id: 'admin.permissions', label: { en: 'Permissions by role', fr: 'Droits par rôle' }, path: '/admin/permissions', parent: 'admin', order: 3.5, permission: 'admin' },
  entry('admin.providers', 'Sign-in providers', "Fournisseurs d'identité", 'auth_provider', 'admin', 4),
  entry('admin.licences', 'Licences', 'Licences', 'licence', 'admin', 5),
  entry('admin.menus', 'Menus', 'Menus', 'menu_item', 'admin', 6),
  entry('admin.shortLinks', 'Short links', 'Liens courts', 'short_link', 'admin', 6.5),
  entry('admin.emailTemplates', 'Email templates', 'Modèles de courriel', 'email_template', 'admin', 6.6),
  entry('admin.qualityRules', 'Data quality rules', 'Règles de qualité des données', 'quality_rule', 'admin', 6.7),
  entry('admin.qualityChecks', 'Data quality checks', 'Contrôles de qualité des données', 'quality_check', 'admin', 6.8),
  { id: 'admin.modules', label: { en: 'Modules', fr: 'Modules' }, path: '/admin/modules', parent: 'admin', order: 7, permission: 'admin' },
  { id: 'admin.settings', label: { en: 'Settings', fr: 'Réglages' }, path: '/admin/settings', parent: 'admin', order: 8, permission: 'admin' },
  { id: 'admin.entities', label: { en: 'Entity designer', fr: "Concepteur d'entités" }, path: '/admin/entities', parent: 'admin', order: 9, permission: 'admin' },
  { id: 'admin.tenants', label: { en: 'Tenants', fr: 'Tenants' }, path: '/admin/tenants', parent: 'admin', order: 11, permission: 'superAdmin' },
  { id: 'admin.errors', label: { en: 'Error log', fr: 'Journal des erreurs' }, path: '/admin/errors', parent: 'admin', order: 10.5, permission: 'admin' },
  { id: 'admin.apiKeys', label: { en: 'API keys', fr: 'Clés d’API' }, path: '/admin/api-keys', parent: 'admin', order: 10.6, permission: 'admin' },
  { id: 'admin.jobs', label: { en: 'Background jobs', fr: 'Travaux de fond' }, path: '/admin/jobs', parent: 'admin', order: 10.7, permission: 'admin' },
  { id: 'admin.email', label: { en: 'E-mail history', fr: 'Historique des courriels' }, path: '/admin/email', parent: 'admin', order: 10.8, permission: 'admin' },
  { id: 'admin.webhooks', label: { en: 'Webhooks', fr: 'Webhooks' }, path: '/admin/webhooks', parent: 'admin', order: 10.9, permission: 'admin' },
  { id: 'admin.ai', label: { en: 'AI', fr: 'IA' }, path: '/admin/ai', parent: 'admin', order: 10.95, permission: 'admin' },
  { id: 'admin.audit', label: { en: 'Audit log', fr: "Journal d'audit" }, path: '/admin/audit', parent: 'admin', order: 10, permission: 'admin' },
];
