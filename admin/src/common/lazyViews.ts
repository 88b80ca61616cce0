import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export type LazyView = LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };

/**
 * Resource views load on first visit: the login page then downloads only the shell (react-admin,
 * MUI, the layout), not every list and form. The Layout's Suspense shows a spinner meanwhile.
 * `preload()` starts the download early (see preloadRoute).
 */
export function lazyViews<M extends Record<string, unknown>>(load: () => Promise<M>) {
  return (name: keyof M & string): LazyView => Object.assign(lazy(() => load().then((m) => ({ default: m[name] as ComponentType }))), { preload: load });
}
