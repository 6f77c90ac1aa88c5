/**
 * zod shapes of what Gorgias sends (HTTP-integration webhooks with `form: "{{context}}"`) and
 * answers (REST). Loose objects; shapes from developers.gorgias.com (TicketMessage object,
 * create-ticket-message) and Pipedream's Gorgias sources/test events (see vendor-apis.md §1).
 */
import { z } from 'zod';
import { optionalVendorId, vendorId } from '../text.js';

const address = z.looseObject({ address: z.string().nullish(), name: z.string().nullish() });

const person = z.looseObject({
  id: optionalVendorId,
  email: z.string().nullish(),
  name: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
});
export type GorgiasPerson = z.infer<typeof person>;

export const messageSchema = z.looseObject({
  id: vendorId,
  ticket_id: optionalVendorId,
  /** email, chat, facebook-messenger…, or internal-note. */
  channel: z.string().nullish(),
  via: z.string().nullish(),
  from_agent: z.boolean().nullish(),
  public: z.boolean().nullish(),
  sender: person.nullish(),
  receiver: person.nullish(),
  source: z
    .looseObject({
      type: z.string().nullish(),
      from: address.nullish(),
      to: z.array(address).nullish(),
    })
    .nullish(),
  subject: z.string().nullish(),
  body_text: z.string().nullish(),
  body_html: z.string().nullish(),
  stripped_text: z.string().nullish(),
  stripped_html: z.string().nullish(),
  external_id: z.string().nullish(),
  rule_id: z.union([z.string(), z.number()]).nullish(),
  created_datetime: z.string().nullish(),
});
export type GorgiasMessage = z.infer<typeof messageSchema>;

export const ticketSchema = z.looseObject({
  id: vendorId,
  status: z.string().nullish(),
  subject: z.string().nullish(),
  channel: z.string().nullish(),
  customer: person.nullish(),
  assignee_user: z.looseObject({ id: optionalVendorId }).nullish(),
  tags: z.array(z.looseObject({ name: z.string() })).nullish(),
  messages: z.array(messageSchema).nullish(),
});
export type GorgiasTicket = z.infer<typeof ticketSchema>;

/**
 * Webhook body with `form: "{{context}}"`: `message` for ticket-message-created, `ticket` for
 * ticket-created (both may be present).
 */
export const webhookBodySchema = z.looseObject({
  message: messageSchema.nullish(),
  ticket: ticketSchema.nullish(),
});

/** GET /api/tickets/{id}/messages: cursor pagination. */
export const messagesPageSchema = z.looseObject({
  data: z.array(messageSchema),
  meta: z.looseObject({ next_cursor: z.string().nullish() }).nullish(),
});

/** POST /api/tickets/{id}/messages answers the created message. */
export const createdMessageSchema = z.looseObject({ id: vendorId });

/** GET /api/account */
export const accountSchema = z.looseObject({ domain: z.string().nullish() });
