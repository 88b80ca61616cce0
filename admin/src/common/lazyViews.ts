import { lazy, type ComponentType } from 'react';

/**
 * Resource views load on first visit: the login page then downloads only the shell (react-admin,
 * MUI, the layout), not every list and form. The Layout's Suspense shows a spinner meanwhile.
 */
export function lazyViews<M extends Record<string, unknown>>(load: () => Promise<M>) {
  return (name: keyof M & string) => lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
}
