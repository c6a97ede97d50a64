// Avis aux administrateurs d'un nouveau groupe d'erreurs ou d'un pic (réglage `errors.spikePerHour` : occurrences dans l'heure).
import type { Notice } from '../notifications/admin-notices.js';
import type { ErrorAlert } from './error-log.js';

export function errorNotice(group: Parameters<ErrorAlert>[0]): Notice {
  const message = group.message.slice(0, 300);
  return group.reason === 'new'
    ? {
      subject: { en: `OpsFlux: new error in ${group.source}`, fr: `OpsFlux : nouvelle erreur dans ${group.source}` },
      body: {
        en: `A new kind of error appeared in ${group.source}:\n\n${message}\n\nDetails in the administration console (errors), group ${group.id}.`,
        fr: `Un nouveau type d'erreur est apparu dans ${group.source} :\n\n${message}\n\nDétails dans la console d'administration (erreurs), groupe ${group.id}.`,
      },
    }
    : {
      subject: { en: `OpsFlux: error spike in ${group.source}`, fr: `OpsFlux : pic d'erreurs dans ${group.source}` },
      body: {
        en: `The error below occurred ${group.count} times within the hour in ${group.source}:\n\n${message}\n\nGroup ${group.id}.`,
        fr: `L'erreur ci-dessous s'est produite ${group.count} fois dans l'heure dans ${group.source} :\n\n${message}\n\nGroupe ${group.id}.`,
      },
    };
}
