import { useEffect, useState } from 'react';
import { api } from '../api';
import { BusinessHoursFields } from '../components/settings/BusinessHours';
import { ConnectorsCard } from '../components/settings/Connectors';
import { EscalationFields } from '../components/settings/Escalation';
import { LIMIT_KEYS, LimitsFields } from '../components/settings/Limits';
import { ModesFields } from '../components/settings/Modes';
import { SettingsSection } from '../components/settings/Section';
import { ChannelsFields, VoiceFields } from '../components/settings/Voice';
import { ErrorState, Loading } from '../components/StateViews';
import { useSession } from '../session';
import type { StoreView } from '../types';
import { useAsync } from '../useAsync';

const SECTIONS = [
  ['modes', 'Modes per intent'],
  ['limits', 'Thresholds and limits'],
  ['hours', 'Business hours'],
  ['voice', 'Voice and tags'],
  ['channels', 'Channels'],
  ['escalation', 'Escalation targets'],
  ['connectors', 'Connectors'],
] as const;

/** How much the bot may do on its own, and where it hands over. Each section saves by itself. */
export function SettingsPage() {
  const { storeId, canAdmin } = useSession();
  const loaded = useAsync(() => api.store(storeId), [storeId]);
  const [store, setStore] = useState<StoreView>();
  useEffect(() => setStore(loaded.data), [loaded.data]);

  if (loaded.loading && !store) return <Loading what="Loading settings" />;
  if (loaded.error || !store) {
    return (
      <section>
        <h1 tabIndex={-1}>Settings</h1>
        <ErrorState error={loaded.error ?? new Error('no data')} retry={loaded.reload} title="Could not load settings" />
      </section>
    );
  }
  const common = { storeId, settings: store.settings, disabled: !canAdmin, onSaved: setStore };
  return (
    <section>
      <h1 tabIndex={-1}>Settings</h1>
      {!canAdmin && <p className="notice notice-error">This key cannot change settings: it needs the admin permission.</p>}
      <nav aria-label="Settings sections" className="toc">
        {SECTIONS.map(([id, text]) => (
          <a key={id} href={`#${id}`}>
            {text}
          </a>
        ))}
      </nav>
      <div id="modes">
        <SettingsSection
          {...common}
          title="Modes per intent"
          description="Start in draft, read what the bot would have said, then move intents you trust to automatic."
          keys={['modes']}
        >
          {(draft, set) => <ModesFields draft={draft} set={set} threshold={store.settings.confidence_threshold} />}
        </SettingsSection>
      </div>
      <div id="limits">
        <SettingsSection
          {...common}
          title="Thresholds and limits"
          keys={LIMIT_KEYS}
        >
          {(draft, set) => <LimitsFields draft={draft} set={set} />}
        </SettingsSection>
      </div>
      <div id="hours">
        <SettingsSection {...common} title="Business hours" keys={['business_hours']}>
          {(draft, set) => <BusinessHoursFields draft={draft} set={set} />}
        </SettingsSection>
      </div>
      <div id="voice">
        <SettingsSection {...common} title="Voice and tags" keys={['brand_voice', 'signature', 'default_language', 'tags']}>
          {(draft, set) => <VoiceFields draft={draft} set={set} />}
        </SettingsSection>
      </div>
      <div id="channels">
        <SettingsSection {...common} title="Channels" keys={['channels']}>
          {(draft, set) => <ChannelsFields draft={draft} set={set} />}
        </SettingsSection>
      </div>
      <div id="escalation">
        <SettingsSection
          {...common}
          title="Escalation targets"
          description="Where the bot reassigns a ticket it escalates (ids from your helpdesk)."
          keys={['escalation']}
        >
          {(draft, set) => <EscalationFields draft={draft} set={set} />}
        </SettingsSection>
      </div>
      <div id="connectors">
        <ConnectorsCard storeId={storeId} canAdmin={canAdmin} />
      </div>
    </section>
  );
}
