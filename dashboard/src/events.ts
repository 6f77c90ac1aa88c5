/** Pages that approve or reject something fire this so the count in the menu follows. */
export const APPROVALS_CHANGED = 'hsb:approvals-changed';

export function approvalsChanged(): void {
  window.dispatchEvent(new Event(APPROVALS_CHANGED));
}

/** The deliveries page fires this after a retry so the failed count in the menu follows. */
export const DELIVERIES_CHANGED = 'hsb:deliveries-changed';

export function deliveriesChanged(): void {
  window.dispatchEvent(new Event(DELIVERIES_CHANGED));
}
