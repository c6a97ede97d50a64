// Interface d'envoi de courriels : la file d'envoi (services transverses) s'appuiera dessus.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  from?: string;
  /** pièces jointes (contenu en mémoire) */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}
