// CLI d'administration `npx opsflux` : une commande par fichier dans commands/.
// Sortie : 0 en cas de succès ; sinon une seule ligne « opsflux: <raison> » sur stderr et 1 (2 pour une erreur d'utilisation).
import { parseArgs } from 'node:util';
import type { DataDirLockedError } from '@opsflux/backend';
import { commands, UsageError, type CommandContext, type CommandSpec } from './commands/index.js';

const GLOBAL_OPTIONS = ['database-url', 'data-dir', 'json', 'help'];

function usage(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length), 4) + 2;
  return [
    'usage: opsflux <command> [options]',
    '',
    'commands:',
    ...Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}print this help`,
    '',
    'global options:',
    '  --database-url URL   PostgreSQL server (default: $DATABASE_URL; without it, the embedded database)',
    '  --data-dir DIR       embedded database directory (default: $DATA_DIR, else ./data)',
    '  --json               machine-readable output on stdout',
  ].join('\n');
}

/** Commande désignée par les positionnels : deux mots (« admin create ») ou un seul (« migrate »). */
function resolve(positionals: string[]): { name: string; spec: CommandSpec; args: string[] } {
  const [first, second] = positionals;
  const two = second === undefined ? undefined : `${first} ${second}`;
  if (two && commands[two]) return { name: two, spec: commands[two], args: positionals.slice(2) };
  if (first && commands[first]) return { name: first, spec: commands[first], args: positionals.slice(1) };
  throw new UsageError(`unknown command "${positionals.slice(0, 2).join(' ')}"`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      email: { type: 'string' },
      password: { type: 'string' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      dir: { type: 'string' },
      'drop-data': { type: 'boolean' },
      format: { type: 'string' },
      mode: { type: 'string' },
      'on-error': { type: 'string' },
      'dry-run': { type: 'boolean' },
      mapping: { type: 'string' },
      template: { type: 'string' },
      encoding: { type: 'string' },
      delimiter: { type: 'string' },
      'date-order': { type: 'string' },
      filter: { type: 'string' },
      fields: { type: 'string' },
      sort: { type: 'string' },
    },
  });
  const json = values.json ?? false;
  if (positionals[0] === 'help' || values.help) {
    console.log(json ? JSON.stringify({ commands: Object.values(commands).map(({ usage, summary }) => ({ usage, summary })) }) : usage());
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('missing command');
  const { name, spec, args } = resolve(positionals);
  const options: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    if (GLOBAL_OPTIONS.includes(key)) continue;
    if (!spec.options.includes(key)) throw new UsageError(`option --${key} does not apply to "${name}"`);
    options[key] = value as string;
  }
  if (args.length > spec.args.max) throw new UsageError(`unexpected argument "${args[spec.args.max]}" for "${name}"`);
  if (args.length < spec.args.min) throw new UsageError(`missing argument, usage: opsflux ${spec.usage}`);
  const ctx: CommandContext = {
    databaseUrl: values['database-url'] || process.env.DATABASE_URL || undefined,
    dataDir: values['data-dir'] || process.env.DATA_DIR || './data',
    json,
    options,
    args,
    print: (line) => console.log(line),
  };
  return (await spec.load())(ctx);
}

/** Raison d'un échec en une ligne ; `locked` : classe de l'erreur du verrou de la base embarquée (backend chargé). */
function reason(error: unknown, locked?: typeof DataDirLockedError): string {
  if (locked && error instanceof locked) {
    const dir = error.path.replace(/[/\\]opsflux\.lock$/, '');
    return `data directory ${dir} is in use by process ${error.pid}: stop the server or use --database-url`;
  }
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  // parseArgs : on garde la première phrase (« Unknown option '--x' »)
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return error.message.split(/\.\s/)[0]!.replace(/\.$/, '');
  // connexion refusée sur plusieurs adresses : message vide, la première cause suffit
  if (error instanceof AggregateError && !error.message && error.errors.length) return reason(error.errors[0], locked);
  let text = error.message || (typeof code === 'string' ? code : error.name);
  // erreurs de validation du moteur : champs en cause (seuls, quand le message général n'apprend rien de plus)
  const fields = (error as { errors?: unknown }).errors;
  if (Array.isArray(fields) && !(error instanceof AggregateError)) {
    // un message déjà repris par le texte général (refus motivés des modules) n'est pas répété
    const details = fields.filter((f: { message?: string }) => !f.message || !text.includes(f.message))
      .map((f: { field?: string; message?: string }) => [f.field, f.message].filter(Boolean).join(': ')).filter(Boolean);
    if (details.length) text = code === 'validation_failed' ? details.join('; ') : `${text} (${details.join('; ')})`;
  }
  return text.split('\n')[0]!.trim();
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usageError = error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') === true;
  // le backend n'est chargé qu'ici, hors erreur d'utilisation (déjà en mémoire quand une commande a tourné) : l'aide
  // et les erreurs d'utilisation répondent sans lui
  const locked = usageError ? undefined : await import('@opsflux/backend').then((backend) => backend.DataDirLockedError, () => undefined);
  console.error(`opsflux: ${reason(error, locked)}${usageError ? ' (run "opsflux help")' : ''}`);
  process.exitCode = usageError ? 2 : 1;
}
