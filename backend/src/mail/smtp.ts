// Envoi SMTP (nodemailer), configuré par l'environnement (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM,
// SMTP_SECURE) en attendant la configuration depuis l'interface.
import nodemailer, { type Transporter } from 'nodemailer';
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
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.transport = nodemailer.createTransport({
      host: config.host,
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

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const info = await this.transport.sendMail({
      from: message.from ?? this.config.from, to: message.to, subject: message.subject, text: message.text, html: message.html, attachments: message.attachments,
    });
    return { messageId: info.messageId };
  }
}
