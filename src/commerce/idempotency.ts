/**
 * The marker an action leaves in the vendor's own record (refund note, staff note) so that, after a
 * crash between "recorded" and "sent", reconciliation can tell our write from anyone else's.
 */
export const refMarker = (key: string) => `[ref:${key}]`;

export function hasRefMarker(text: string | null | undefined, key: string): boolean {
  return Boolean(text?.includes(refMarker(key)));
}
