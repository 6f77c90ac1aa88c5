export { EmailConnector, type EmailConnectorDeps } from './email.connector.js';
export { createEmailConnector, emailProvider, type EmailProviderScope } from './email.factory.js';
export {
  emailConfigInputSchema,
  emailConnectionFromEnv,
  emailSettingsFromConnection,
  resolveEmailSettings,
} from './email.config.js';
export { ingestInboundEmail, type EmailIngestResult } from './email.ingest.js';
export { pollMailbox, type PollResult } from './email.imap-poller.js';
export { scheduleEmailPolling, runEmailPoll } from './email.schedule.js';
export { shouldIgnore, checkSenderCap, type IgnoreReason } from './email.loop-guard.js';
export { parseRawEmail, toInboundEvent, emailIdempotencyKey, type EmailEventMeta } from './email.parse.js';
export { resolveThread, buildReplyHeaders, replySubject, normalizeSubject } from './email.threading.js';
export { closeSmtpTransports } from './email.smtp.js';
export { decodeEmailWebhook, MalformedPayloadError } from './email.payloads.js';
export {
  verifyEmailWebhook,
  mailgunSignature,
  isEmailProvider,
  type EmailProvider,
} from './email.webhooks.js';
export type { EmailSettings, InboundEmail } from './email.types.js';
