import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  emailConfigInputSchema,
  emailConnectionFromEnv,
  emailSettingsFromConnection,
  splitEmailConfig,
} from '../../../connectors/email/email.config.js';
import { emailProvider } from '../../../connectors/email/email.factory.js';
import { smtpOptions } from '../../../connectors/email/email.smtp.js';
import { testConfig } from '../../helpers/context.js';

describe('email credentials', () => {
  it('splits a PUT body into encrypted secrets and displayable meta', () => {
    const stored = emailProvider.parseConfig({
      fromAddress: 'support@acme.test',
      addresses: ['help@acme.test'],
      smtp: { host: 'smtp.acme.test', port: 587, user: 'u', pass: 'smtp-pass' },
      imap: { host: 'imap.acme.test', user: 'support@acme.test', pass: 'imap-pass' },
      inboundToken: 'a-long-enough-inbound-token',
    });
    expect(JSON.stringify(stored.meta)).not.toMatch(/pass|inbound-token/);
    expect(stored.meta).toMatchObject({ fromAddress: 'support@acme.test', smtpHost: 'smtp.acme.test', imapHost: 'imap.acme.test' });
    expect(stored.secrets).toMatchObject({ smtp: { pass: 'smtp-pass' }, imap: { pass: 'imap-pass' } });
  });

  it.each([
    ['no From address', { smtp: { url: 'smtp://x' } }],
    ['no SMTP server', { fromAddress: 'a@b.test' }],
    ['a short inbound token', { fromAddress: 'a@b.test', smtp: { url: 'smtp://x' }, inboundToken: 'short' }],
  ])('rejects %s', (_name, input) => {
    expect(() => emailConfigInputSchema.parse(input)).toThrow(ZodError);
  });

  it('settings: own addresses include From, aliases and the IMAP login; env secrets fill gaps', () => {
    const config = testConfig({ MAILGUN_SIGNING_KEY: 'env-key' });
    const stored = splitEmailConfig(
      emailConfigInputSchema.parse({
        fromAddress: 'Support@Acme.test',
        addresses: ['help@acme.test'],
        smtp: { url: 'smtps://u:p@smtp.acme.test' },
        imap: { host: 'imap.acme.test', user: 'inbox@acme.test', pass: 'x' },
      }),
    );
    const s = emailSettingsFromConnection(config, stored);
    expect(s.ownAddresses).toEqual(['support@acme.test', 'help@acme.test', 'inbox@acme.test']);
    expect(s.mailgunSigningKey).toBe('env-key');
    expect(s.imap).toMatchObject({ host: 'imap.acme.test', port: 993, secure: true, mailbox: 'INBOX', processedMailbox: null });
  });

  it('the environment connection is null when the email channel is not configured', () => {
    expect(emailConnectionFromEnv(testConfig())).toBeNull();
    const env = emailConnectionFromEnv(testConfig({ EMAIL_FROM: 'support@shop.test', SMTP_URL: 'smtp://127.0.0.1:2525', EMAIL_ADDRESSES: 'a@shop.test, b@shop.test' }));
    expect(env?.meta).toMatchObject({ fromAddress: 'support@shop.test', addresses: ['a@shop.test', 'b@shop.test'] });
  });
});

describe('SMTP transport options', () => {
  it.each([
    ['smtps:// → implicit TLS on 465', 'smtps://u:p%40ss@smtp.example.com', { secure: true, port: 465, requireTLS: false, auth: { user: 'u', pass: 'p@ss' } }],
    ['smtp:// → STARTTLS required on 587', 'smtp://u:p@smtp.example.com', { secure: false, port: 587, requireTLS: true }],
    ['loopback may be plain', 'smtp://127.0.0.1:2525', { secure: false, port: 2525, requireTLS: false, ignoreTLS: true }],
  ])('%s', (_name, url, expected) => {
    expect(smtpOptions({ url })).toMatchObject({ pool: true, ...expected });
  });
});
