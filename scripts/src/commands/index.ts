// Table des commandes de la CLI et contexte commun.
import { auditVerify } from './audit-verify.js';
import { adminCreate } from './admin-create.js';
import { migrate } from './migrate.js';
import { tenantCreate } from './tenant-create.js';

export interface CommandContext {
  databaseUrl?: string;
  dataDir: string;
  json: boolean;
  options: Record<string, string | boolean | undefined>;
  args: string[];
  print(line: string): void;
}

export type Command = (ctx: CommandContext) => Promise<number>;

export class UsageError extends Error {}

export const commands: Record<string, Command> = {
  migrate,
  'admin create': adminCreate,
  'tenant create': tenantCreate,
  'audit verify': auditVerify,
};
