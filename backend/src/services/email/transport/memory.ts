// Courriels gardés en mémoire (développement sans serveur SMTP) : consultables et journalisés, jamais perdus en silence.
import { randomUUID } from 'node:crypto';
import type { MailMessage, Mailer } from './mailer.js';

export class MemoryMailer implements Mailer {
  readonly sent: Array<MailMessage & { messageId: string; at: Date }> = [];

  constructor(private readonly log: (line: string) => void = () => undefined, private readonly keep = 1000) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const messageId = `<${randomUUID()}@opsflux.local>`;
    this.sent.push({ ...message, messageId, at: new Date() });
    if (this.sent.length > this.keep) this.sent.shift();
    this.log(`mail to ${message.to}: ${message.subject}`);
    return { messageId };
  }
}
