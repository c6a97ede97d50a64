// Table des commandes de la CLI et contexte commun. Chaque commande est chargée à la demande : l'aide et les erreurs
// d'utilisation répondent sans charger la base ni le moteur.

export interface CommandContext {
  databaseUrl?: string;
  dataDir: string;
  json: boolean;
  /** options propres à la commande (les options globales sont déjà lues) */
  options: Record<string, string | undefined>;
  args: string[];
  print(line: string): void;
}

export type Command = (ctx: CommandContext) => Promise<number>;

export interface CommandSpec {
  load(): Promise<Command>;
  /** options acceptées en plus des options globales */
  options: string[];
  /** arguments positionnels après le nom de la commande */
  args: { min: number; max: number };
  usage: string;
  summary: string;
}

/** Erreur d'utilisation (commande, option ou argument) : code de sortie 2. */
export class UsageError extends Error {}

export const commands: Record<string, CommandSpec> = {
  migrate: {
    load: async () => (await import('./migrate.js')).migrate,
    options: [], args: { min: 0, max: 0 },
    usage: 'migrate', summary: 'create or upgrade the database schema and print the applied migrations',
  },
  'admin create': {
    load: async () => (await import('./admin-create.js')).adminCreate,
    options: ['email', 'password', 'tenant', 'name'], args: { min: 0, max: 0 },
    usage: 'admin create --email E --password P [--tenant T] [--name N]', summary: 'create a super-administrator (tenant "default" unless --tenant)',
  },
  'tenant create': {
    load: async () => (await import('./tenant-create.js')).tenantCreate,
    options: ['name'], args: { min: 1, max: 1 },
    usage: 'tenant create NAME [--name DISPLAY]', summary: 'create a tenant whose slug is NAME',
  },
  'config list': {
    load: async () => (await import('./config.js')).configList,
    options: ['tenant'], args: { min: 0, max: 0 },
    usage: 'config list [--tenant T]', summary: 'print every setting with its effective value (platform, or tenant T)',
  },
  'config get': {
    load: async () => (await import('./config.js')).configGet,
    options: ['tenant'], args: { min: 1, max: 1 },
    usage: 'config get KEY [--tenant T]', summary: 'print the effective value of a setting as JSON',
  },
  'config set': {
    load: async () => (await import('./config.js')).configSet,
    options: ['tenant'], args: { min: 2, max: 2 },
    usage: 'config set KEY JSON [--tenant T]', summary: 'set a setting for the platform, or for tenant T (validated, audited)',
  },
  'module list': {
    load: async () => (await import('./module.js')).moduleList,
    options: ['tenant'], args: { min: 0, max: 0 },
    usage: 'module list [--tenant T]', summary: 'print the module catalog with the state of each module in the tenant',
  },
  'module install': {
    load: async () => (await import('./module.js')).moduleInstall,
    options: ['tenant'], args: { min: 1, max: 1 },
    usage: 'module install NAME [--tenant T]', summary: 'install and activate a module with its missing dependencies',
  },
  'module activate': {
    load: async () => (await import('./module.js')).moduleActivate,
    options: ['tenant'], args: { min: 1, max: 1 },
    usage: 'module activate NAME [--tenant T]', summary: 'activate an installed module (and the modules it depends on)',
  },
  'module deactivate': {
    load: async () => (await import('./module.js')).moduleDeactivate,
    options: ['tenant'], args: { min: 1, max: 1 },
    usage: 'module deactivate NAME [--tenant T]', summary: 'deactivate a module (its data stays)',
  },
  'module uninstall': {
    load: async () => (await import('./module.js')).moduleUninstall,
    options: ['tenant', 'drop-data'], args: { min: 1, max: 1 },
    usage: 'module uninstall NAME [--drop-data] [--tenant T]', summary: 'uninstall a module, keeping its data unless --drop-data',
  },
  'module upgrade': {
    load: async () => (await import('./module.js')).moduleUpgrade,
    options: ['tenant'], args: { min: 1, max: 1 },
    usage: 'module upgrade NAME', summary: 'upgrade the platform to the latest version of a module in the catalog',
  },
  'module pack': {
    load: async () => (await import('./module-files.js')).modulePack,
    options: ['out'], args: { min: 1, max: 1 },
    usage: 'module pack DIR [--out FILE]', summary: 'build a module folder into an uploadable .tgz package',
  },
  'module new': {
    load: async () => (await import('./module-files.js')).moduleNew,
    options: ['dir'], args: { min: 1, max: 1 },
    usage: 'module new NAME [--dir DIR]', summary: 'scaffold a module (default folder: modules/NAME) that passes its own tests',
  },
  import: {
    load: async () => (await import('./transfer.js')).importFile,
    options: ['tenant', 'format', 'mode', 'on-error', 'dry-run', 'mapping', 'template', 'encoding', 'delimiter', 'date-order'], args: { min: 2, max: 2 },
    usage: 'import ENTITY FILE [--mode create|upsert] [--on-error rollback|skip] [--dry-run] [--tenant T] …',
    summary: 'import a CSV, JSON or Excel file into an entity (audited; exit 1 with the error report when rows are refused)',
  },
  export: {
    load: async () => (await import('./transfer.js')).exportEntity,
    options: ['tenant', 'format', 'out', 'filter', 'fields', 'sort'], args: { min: 1, max: 1 },
    usage: 'export ENTITY [--format csv|json|xlsx] [--out FILE] [--filter JSON] [--fields a,b] [--sort f] [--tenant T]',
    summary: 'export the records of an entity (standard output unless --out)',
  },
  'secrets rotate': {
    load: async () => (await import('./secrets.js')).secretsRotate,
    options: [], args: { min: 0, max: 0 },
    usage: 'secrets rotate', summary: 'new current keys (key file or database) and every stored secret re-sealed; older keys still verify',
  },
  'secrets retire': {
    load: async () => (await import('./secrets.js')).secretsRetire,
    options: [], args: { min: 0, max: 0 },
    usage: 'secrets retire', summary: 'remove the keys older than the current ones once nothing is sealed with them (old access tokens stop working)',
  },
  'audit verify': {
    load: async () => (await import('./audit-verify.js')).auditVerify,
    options: ['tenant'], args: { min: 0, max: 0 },
    usage: 'audit verify [--tenant T]', summary: 'verify the hash-chained audit trail (exit 1 when tampered)',
  },
};
