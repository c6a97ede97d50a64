// Envoi SMTP (nodemailer), configuré par l'environnement (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM,
// SMTP_SECURE) ou par les réglages `mail.smtp.*` : un serveur choisi dans les réglages n'est joint qu'à l'adresse
// vérifiée par la politique des connexions sortantes, résolue à chaque envoi (le nom reste celui vérifié en TLS).
import nodemailer, { type Transporter } from 'nodemailer';
import type { ResolveTarget } from '../../outbound/outbound.js';
import type { MailMessage, Mailer } from './mailer.js';

export interface SmtpConfig {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  password?: string;
  from: string;
  /** serveur local sans TLS (tests, relais interne) */
  ignoreTls?: boolean;
}

export function smtpConfigFromEnv(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  if (!env.SMTP_HOST) return undefined;
  return {
    host: env.SMTP_HOST,
    port: Number(env.SMTP_PORT ?? 587),
    secure: env.SMTP_SECURE === 'true',
    user: env.SMTP_USER,
    password: env.SMTP_PASSWORD,
    from: env.SMTP_FROM ?? 'OpsFlux <no-reply@localhost>',
  };
}

export class SmtpMailer implements Mailer {
  /** serveur de l'environnement (choisi par l'exploitant) : un transport gardé */
  private readonly transport?: Transporter;

  /** `resolve` : serveur venu des réglages, joint à une adresse vérifiée par un transport créé à chaque envoi. */
  constructor(private readonly config: SmtpConfig, private readonly resolve?: ResolveTarget) {
    if (!resolve) this.transport = this.connect(config.host);
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const transport = this.transport ?? (await this.checkedTransport());
    try {
      const info = await transport.sendMail({
        from: message.from ?? this.config.from, to: message.to, subject: message.subject, text: message.text, html: message.html, attachments: message.attachments,
      });
      return { messageId: info.messageId };
    } finally {
      if (transport !== this.transport) transport.close();
    }
  }

  private async checkedTransport(): Promise<Transporter> {
    const port = this.config.port || (this.config.secure ? 465 : 587);
    const target = await this.resolve!(this.config.host, port);
    return this.connect(target.address, target.servername);
  }

  private connect(host: string, servername?: string): Transporter {
    const { config } = this;
    return nodemailer.createTransport({
      host,
      ...(servername ? { servername } : {}),
      port: config.port,
      secure: config.secure ?? false,
      ignoreTLS: config.ignoreTls ?? false,
      auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      // bornes sous le délai d'un travail d'envoi : l'échec SMTP arrive avant l'abandon du travail
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  }
}
