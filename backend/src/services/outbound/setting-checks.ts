// Contrôles à l'enregistrement des réglages qui désignent une destination (refus tôt, message par champ en français
// ou en anglais) et de la liste d'autorisation elle-même. La garde de connexion reste le vrai contrôle.
import type { FieldError } from '@opsflux/sdk';
import type { Settings } from '../../config/settings.js';
import { message } from '../../text/messages.js';
import { parseAllowEntry } from './allow-list.js';
import type { Outbound, TargetProblem } from './outbound.js';
import type { OutboundKind } from './policy.js';

/** Réglages portant une adresse http(s) (la valeur vide ou nulle désactive la connexion). */
const URL_SETTINGS: Record<string, OutboundKind> = {
  'files.s3.endpoint': 's3',
  'currency.rates.providerUrl': 'rates',
  'modules.catalog.url': 'catalog',
};

const asErrors = (problem: TargetProblem | undefined): FieldError[] => (problem ? [{ field: 'value', ...problem }] : []);

export function installOutboundChecks(settings: Settings, outbound: Outbound): void {
  for (const [key, kind] of Object.entries(URL_SETTINGS)) {
    settings.addCheck(key, async (value, writer) => (typeof value === 'string' && value ? asErrors(await outbound.urlProblem(kind, value, writer.locale)) : []));
  }
  // fournisseurs d'IA : l'adresse de chacun, vérifiée comme celle d'un réglage simple
  settings.addCheck('ai.providers', async (value, writer) => {
    const providers = (value ?? []) as Array<{ baseUrl?: string }>;
    const problems = await Promise.all(providers.map(async (provider, i): Promise<FieldError[]> => {
      const problem = provider.baseUrl ? await outbound.urlProblem('ai', provider.baseUrl, writer.locale) : undefined;
      return problem ? [{ field: `value.${i}.baseUrl`, ...problem }] : [];
    }));
    return problems.flat();
  });
  settings.addCheck('mail.smtp.host', async (value, writer) => (typeof value === 'string' && value
    ? asErrors(await outbound.hostProblem('smtp', value, undefined, writer.locale)) : []));
  settings.addCheck('outbound.allowList', async (value, writer) => (value as string[]).flatMap((entry, i): FieldError[] => (parseAllowEntry(entry)
    ? [] : [{ field: `value.${i}`, code: 'invalid_value', message: message(writer.locale, 'outbound_allow_entry') }])));
}
