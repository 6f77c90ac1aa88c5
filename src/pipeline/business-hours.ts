import type { StoreSettings } from '../domain/settings.js';

/** Whether `now` falls in the store's business hours (always true when they are not enabled). */
export function withinBusinessHours(hours: StoreSettings['business_hours'], now: Date): boolean {
  if (!hours.enabled) return true;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  const [sh, sm] = hours.start.split(':').map(Number);
  const [eh, em] = hours.end.split(':').map(Number);
  return hours.days.includes(day) && minutes >= sh! * 60 + sm! && minutes < eh! * 60 + em!;
}
