// Clés données par l'environnement : la clé courante de chaque sorte et, pendant un changement de clé, la précédente
// (gardée pour ouvrir et vérifier ce qu'elle a produit). Une clé mal formée ou trop courte arrête le démarrage.
import { KeyConfigurationError, keyEntry, keySizeProblem, type KeyEntry, type KeyKind } from './keyring.js';

export const ENV_KEY_VARIABLES: Record<KeyKind, string> = {
  encryption: 'OPSFLUX_ENCRYPTION_KEY',
  jwt: 'OPSFLUX_JWT_SECRET',
  cursor: 'OPSFLUX_CURSOR_SECRET',
};
export const PREVIOUS_SUFFIX = '_PREVIOUS';

/** Octets d'une valeur : la clé de chiffrement en hexadécimal (64 caractères) ou base64, les secrets HMAC tels quels. */
function decode(kind: KeyKind, value: string): Buffer {
  if (kind !== 'encryption') return Buffer.from(value, 'utf8');
  return /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

const HINT: Record<KeyKind, string> = {
  encryption: '32 bytes written as 64 hex characters or base64, e.g. `openssl rand -hex 32`',
  jwt: 'at least 32 bytes, e.g. `openssl rand -base64 48`',
  cursor: 'at least 32 bytes, e.g. `openssl rand -base64 48`',
};

function entry(kind: KeyKind, variable: string, value: string): KeyEntry {
  const key = decode(kind, value);
  const problem = keySizeProblem(kind, key);
  if (problem) throw new KeyConfigurationError(`${variable} ${problem}: give ${HINT[kind]}`);
  return keyEntry(kind, key, 'env');
}

/** Clés d'une sorte lues dans l'environnement, la courante d'abord ; liste vide si la variable n'est pas posée. */
export function envKeys(kind: KeyKind, env: NodeJS.ProcessEnv): KeyEntry[] {
  const variable = ENV_KEY_VARIABLES[kind];
  const current = env[variable];
  const previous = env[`${variable}${PREVIOUS_SUFFIX}`];
  if (!current) {
    if (previous) throw new KeyConfigurationError(`${variable}${PREVIOUS_SUFFIX} is set without ${variable}: set the new key in ${variable}`);
    return [];
  }
  return [entry(kind, variable, current), ...(previous ? [entry(kind, `${variable}${PREVIOUS_SUFFIX}`, previous)] : [])];
}
