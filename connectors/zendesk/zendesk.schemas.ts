/**
 * zod shapes of what Zendesk sends us (webhooks) and answers (REST). Loose objects: Zendesk adds
 * fields over time and we read only what we need. Shapes from developer.zendesk.com (tickets,
 * ticket comments, webhooks/event types); fields marked [U] in vendor-apis.md are optional here.
 */
import { z } from 'zod';
import { optionalBool, optionalText, optionalVendorId, vendorId } from '../text.js';

/**
 * Body of a webhook connected to a trigger: a JSON template whose placeholders Zendesk renders,
 * so every value arrives as a string. Only ticket_id is required; see the README for the template.
 */
export const triggerBodySchema = z.looseObject({
  ticket_id: vendorId,
  comment_id: optionalVendorId,
  comment_public: optionalBool,
  comment_author_id: optionalVendorId,
  comment_created_at: optionalText,
  latest_comment: optionalText,
  requester_id: optionalVendorId,
  requester_email: optionalText,
  requester_name: optionalText,
  subject: optionalText,
  current_user_id: optionalVendorId,
  updated_at: optionalText,
  via: optionalText,
});
export type TriggerBody = z.infer<typeof triggerBodySchema>;

/** Envelope of a webhook subscribed to Zendesk events (`zen:event-type:ticket.*`). */
export const eventEnvelopeSchema = z.looseObject({
  type: z.string().startsWith('zen:event-type:'),
  id: optionalVendorId,
  time: optionalText,
  subject: optionalText,
  detail: z.looseObject({
    id: vendorId,
    requester_id: optionalVendorId,
    subject: optionalText,
    updated_at: optionalText,
  }),
  event: z
    .looseObject({
      comment: z
        .looseObject({
          id: vendorId,
          body: optionalText,
          is_public: optionalBool,
          author: z
            .looseObject({ id: optionalVendorId, is_staff: optionalBool, name: optionalText })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

const user = z.looseObject({
  id: vendorId,
  name: z.string().nullish(),
  email: z.string().nullish(),
  /** end-user | agent | admin */
  role: z.string().nullish(),
});
export type ZendeskUser = z.infer<typeof user>;

/** GET /api/v2/tickets/{id}.json?include=users */
export const ticketResponseSchema = z.looseObject({
  ticket: z.looseObject({
    id: vendorId,
    status: z.string().nullish(),
    subject: z.string().nullish(),
    requester_id: optionalVendorId,
    assignee_id: optionalVendorId,
    tags: z.array(z.string()).nullish(),
    via: z.looseObject({ channel: z.string().nullish() }).nullish(),
  }),
  users: z.array(user).nullish(),
});
export type ZendeskTicketResponse = z.infer<typeof ticketResponseSchema>;

export const commentSchema = z.looseObject({
  id: vendorId,
  author_id: optionalVendorId,
  body: z.string().nullish(),
  plain_body: z.string().nullish(),
  html_body: z.string().nullish(),
  public: z.boolean().nullish(),
  created_at: z.string().nullish(),
});
export type ZendeskComment = z.infer<typeof commentSchema>;

/** GET /api/v2/tickets/{id}/comments.json?include=users (offset pagination via next_page). */
export const commentsResponseSchema = z.looseObject({
  comments: z.array(commentSchema),
  users: z.array(user).nullish(),
  next_page: z.string().nullish(),
});

/** PUT /api/v2/tickets/{id}.json answers the ticket and the audit (Comment event = new comment). */
export const updateResponseSchema = z.looseObject({
  ticket: z.looseObject({ id: vendorId }).nullish(),
  audit: z
    .looseObject({
      id: optionalVendorId,
      events: z
        .array(z.looseObject({ id: optionalVendorId, type: z.string().nullish() }))
        .nullish(),
    })
    .nullish(),
});

/** GET /api/v2/users/me.json: an anonymous user (id null) when credentials were not accepted. */
export const meResponseSchema = z.looseObject({
  user: z.looseObject({
    id: z.union([z.string(), z.number()]).nullish(),
    role: z.string().nullish(),
  }),
});
