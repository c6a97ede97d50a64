// Choix du serveur SMTP d'un tenant : ses propres réglages `mail.smtp.*` s'il a posé un serveur (jamais mêlés à ceux
// de la plateforme : un tenant ne doit pas faire partir les identifiants de la plateforme vers son serveur), sinon les
// réglages de la plateforme, sinon l'envoi de la plateforme (`platform.mailer` : injecté, ou SMTP_* de l'environnement,
// ou en mémoire). Un transport par configuration, gardé en cache ; un serveur venu des réglages n'est joint qu'à
// l'adresse vérifiée par la politique des connexions sortantes.
import type { SettingLevel } from '@opsflux/sdk';
import type { Settings } from '../../config/settings.js';
import type { Mailer } from './transport/mailer.js';
import { SmtpMailer, type SmtpConfig } from './transport/smtp.js';
import type { ResolveTarget } from '../outbound/outbound.js';

const FIELDS = ['host', 'port', 'secure', 'user', 'password', 'from'] as const;
// transports SMTP gardés (un par configuration) : borne mémoire, au-delà le cache repart de zéro
const MAX_CACHED = 200;
const DEFAULT_FROM = 'OpsFlux <no-reply@localhost>';

export interface Transport {
  mailer: Mailer;
  /** d'où vient la configuration (historique, diagnostic) */
  origin: 'tenant' | 'platform' | 'default';
}

export class MailTransports {
  private readonly cache = new Map<string, SmtpMailer>();

  constructor(private readonly settings: Settings, private readonly fallback: () => Mailer, private readonly resolve: ResolveTarget) {}

  /** Transport du tenant (lu hors transaction : les réglages sont en cache ou lus par une transaction à eux). */
  async for(tenantId: string): Promise<Transport> {
    const audience = { tenantId };
    const host = await this.settings.levels('mail.smtp.host', audience);
    const level: SettingLevel | undefined = host.tenant ? 'tenant' : host.platform ? 'platform' : undefined;
    if (!level) return { mailer: this.fallback(), origin: 'default' };
    const values = await Promise.all(FIELDS.map(async (f) => {
      const key = `mail.smtp.${f}`;
      return (await this.settings.levels(key, audience))[level] ?? this.settings.declared(key).default;
    }));
    const [hostName, port, secure, user, password, from] = values as [string, number, boolean, string, string, string];
    return { mailer: this.mailer({ host: hostName, port, secure, user: user || undefined, password: password || undefined, from: from || DEFAULT_FROM }), origin: level };
  }

  private mailer(config: SmtpConfig): SmtpMailer {
    const key = JSON.stringify(config);
    let mailer = this.cache.get(key);
    if (!mailer) {
      // borne mémoire : des configurations changées souvent ne s'accumulent pas
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, (mailer = new SmtpMailer(config, this.resolve)));
    }
    return mailer;
  }
}
