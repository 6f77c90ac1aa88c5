/** Shapes shared by the email connector's modules. */

export type EmailAddress = { address: string; name: string | null };

/** What we keep of an attachment: never its content. */
export type AttachmentMeta = { filename: string | null; contentType: string; size: number };

/** Where an inbound email came from. */
export type EmailSource = 'imap' | 'mailgun' | 'postmark' | 'sendgrid';

/**
 * One inbound email in a source-independent shape (IMAP, Mailgun, Postmark, SendGrid), before
 * loop checks and threading. Message ids keep their angle brackets: `<id@host>`.
 */
export type InboundEmail = {
  messageId: string | null;
  inReplyTo: string | null;
  /** Oldest first, as in the header. */
  references: string[];
  subject: string | null;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  /** ISO date from the Date header, if readable. */
  date: string | null;
  /** Lower-case names, unfolded values, first occurrence (the topmost, e.g. the final Return-Path). */
  headers: Record<string, string>;
  /** The full plain-text body (a text rendering of the HTML when there is no text part). */
  text: string;
  /** The provider's own quote-stripped text (Mailgun stripped-text, Postmark StrippedTextReply). */
  providerStrippedText: string | null;
  attachments: AttachmentMeta[];
  /** sha256 of the raw message or payload: the idempotency key when Message-ID is missing. */
  contentHash: string;
};

export type SmtpConfig =
  | { url: string }
  | { host: string; port: number; secure: boolean; user?: string; pass?: string };

export type ImapConfig = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  /** Folder processed mail is moved to; null = only flag \Seen. */
  processedMailbox: string | null;
  pollSeconds: number;
  /** Only unseen mail this recent is read on a first poll or after a UIDVALIDITY change. */
  lookbackDays: number;
  /** TLS certificate checks; off only for a test server you run yourself. */
  rejectUnauthorized: boolean;
};

/** A store's email channel, resolved from its credentials (or the environment for the demo store). */
export type EmailSettings = {
  fromAddress: string | null;
  fromName: string | null;
  /** Lower-case: the From address, aliases and the IMAP login. Mail from these is never answered. */
  ownAddresses: string[];
  smtp: SmtpConfig | null;
  imap: ImapConfig | null;
  mailgunSigningKey: string | null;
  inboundToken: string | null;
  maxPerSenderPerDay: number;
};
