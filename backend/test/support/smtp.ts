// Serveur SMTP réel (smtp-server) sur un port libre du loopback : boîte de réception des tests, lien ?token= extrait.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SmtpMailer } from '../../src/services/email/transport/smtp.js';

export interface Received {
  to: string[];
  raw: string;
}

export interface SmtpPeer {
  inbox: Received[];
  mailer: SmtpMailer;
  /** port d'écoute (réglages mail.smtp.* d'un tenant) */
  port: number;
  /** jeton du dernier courriel reçu par l'adresse (lien ?token=…, quoted-printable défait) ; undefined sans courriel */
  lastToken(to: string): string | undefined;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** refus d'un destinataire (RCPT TO) : code SMTP (550 définitif, 451 passager…) et message ; undefined : accepté */
  refuse?: (address: string) => { code: number; message: string } | undefined;
}

export async function startSmtp(options: SmtpOptions = {}): Promise<SmtpPeer> {
  const inbox: Received[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    inbox,
    port,
    mailer: new SmtpMailer({ host: '127.0.0.1', port, from: 'OpsFlux <no-reply@opsflux.test>', ignoreTls: true }),
    lastToken(to) {
      const mail = [...inbox].reverse().find((m) => m.to.includes(to));
      if (!mail) return undefined;
      const match = /\?token=([^\s]+)/.exec(mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
      return match ? decodeURIComponent(match[1]!) : undefined;
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
