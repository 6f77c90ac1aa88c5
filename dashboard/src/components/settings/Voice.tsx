import type { Settings } from '../../types';
import { Checkbox, TextField, type Draft, type SetDraft } from './Section';

/** How replies sound, and the tags written on tickets. */
export function VoiceFields({ draft, set }: { draft: Draft; set: SetDraft }) {
  const tags = draft.tags as Settings['tags'];
  return (
    <>
      <TextField
        id="brand_voice"
        text="Brand voice"
        help="How replies should sound, e.g. “friendly and concise”."
        multiline
        value={draft.brand_voice}
        onChange={(v) => set((d) => ({ ...d, brand_voice: v }))}
      />
      <TextField id="signature" text="Signature" multiline value={draft.signature} onChange={(v) => set((d) => ({ ...d, signature: v }))} />
      <div className="grid-3">
        <TextField
          id="default_language"
          text="Default language"
          help="Used when a message's language is unclear (e.g. en, fr, de)."
          value={draft.default_language}
          onChange={(v) => set((d) => ({ ...d, default_language: v }))}
        />
        <TextField
          id="tags-prefix"
          text="Tag prefix"
          help="Prepended to intent, sentiment and language tags."
          value={tags.prefix}
          onChange={(v) => set((d) => ({ ...d, tags: { ...tags, prefix: v } }))}
        />
      </div>
      <Checkbox id="tags-enabled" text="Write tags on helpdesk tickets" checked={tags.enabled} onChange={(b) => set((d) => ({ ...d, tags: { ...tags, enabled: b } }))} />
    </>
  );
}

/** Which channels the bot works on at all. */
export function ChannelsFields({ draft, set }: { draft: Draft; set: SetDraft }) {
  const channels = draft.channels as Settings['channels'];
  return (
    <fieldset className="days">
      <legend>The bot handles messages from</legend>
      {Object.keys(channels).map((c) => (
        <Checkbox
          key={c}
          id={`channel-${c}`}
          text={c === 'api' ? 'API' : c.charAt(0).toUpperCase() + c.slice(1)}
          checked={channels[c] ?? false}
          onChange={(b) => set((d) => ({ ...d, channels: { ...channels, [c]: b } }))}
        />
      ))}
    </fieldset>
  );
}
