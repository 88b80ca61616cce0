import { useSyncExternalStore } from 'react';

/** What the server asked for after a right password: a code, or setting up an authenticator first. */
export type PendingStep = { mfa: 'verify'; challenge: string; methods: string[] } | { mfa: 'enrol'; challenge: string };

let pending: PendingStep | undefined;
const listeners = new Set<() => void>();

export function setPendingStep(step: PendingStep | undefined) {
  pending = step;
  for (const l of listeners) l();
}

export const isPendingStep = (json: unknown): json is PendingStep => !!json && typeof json === 'object' && 'mfa' in json && 'challenge' in json;

/** The login page re-renders into the second step when the password step leaves one pending. */
export function usePendingStep(): PendingStep | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
  );
}
