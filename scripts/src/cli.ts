// CLI d'administration `npx opsflux` : une commande par fichier dans commands/.
import { parseArgs } from 'node:util';
import { DataDirLockedError } from '@opsflux/backend/db/data-dir-lock.ts';
import { commands, UsageError, type CommandContext } from './commands/index.js';

const USAGE = `usage: opsflux <command> [options]

commands:
  migrate                                   create or upgrade the database schema
  admin create --email E --password P [--tenant T] [--name N]
  tenant create NAME                        create a tenant (slug)
  audit verify [--tenant T]                 verify the hash-chained audit trail (exit 1 if tampered)
  help

global options: --database-url URL, --data-dir DIR (default ./data), --json`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      email: { type: 'string' },
      password: { type: 'string' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [first, second, ...rest] = positionals;
  if (!first || first === 'help' || values.help) {
    console.log(USAGE);
    return 0;
  }
  const command = commands[`${first} ${second ?? ''}`.trim()] ?? commands[first];
  if (!command) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  const args = commands[`${first} ${second ?? ''}`.trim()] ? rest : [second, ...rest].filter((a): a is string => a !== undefined);
  const ctx: CommandContext = {
    databaseUrl: values['database-url'] ?? (process.env.DATABASE_URL || undefined),
    dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? 'data',
    json: values.json ?? false,
    options: values as Record<string, string | boolean | undefined>,
    args,
    print: (line) => console.log(line),
  };
  return command(ctx);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const reason = error instanceof DataDirLockedError
    ? `${error.message.split(';')[0]}: stop the server or use --database-url`
    : (error as Error).message.split('\n')[0];
  console.error(`opsflux: ${reason}`);
  if (usage) console.error('run "opsflux help" for usage');
  process.exitCode = usage ? 2 : 1;
}
