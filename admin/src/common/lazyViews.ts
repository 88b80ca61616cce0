import { createElement, use, type ComponentType, type FunctionComponent } from 'react';

export type LazyView = FunctionComponent<object> & { preload: () => Promise<unknown> };

/**
 * Resource views load on first visit: the login page then downloads only the shell (react-admin,
 * MUI, the layout), not every list and form. `preload()` starts the download early (see preloadRoute).
 *
 * Not React.lazy: a lazy component suspends on its first render even when its chunk has already
 * arrived (its promise settles a microtask later), so the Layout's Suspense commits its fallback and
 * React then holds the view back until 300 ms after that fallback appeared (its reveal throttle),
 * ~20% of a cold load. Here a view whose module is loaded renders at once; one still downloading
 * suspends.
 */
export function lazyViews<M extends Record<string, unknown>>(load: () => Promise<M>) {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  // A failed download stays failed, as with React.lazy: the view throws it to the Layout's error
  // page, and a reload tries again (asking afresh on each render would suspend forever instead).
  const preload = () => (loading ??= load().then((module) => (loaded = module)));
  return (name: keyof M & string): LazyView => {
    const View = (props: object) => createElement((loaded ?? use(preload()))[name] as ComponentType<object>, props);
    View.displayName = `View(${name})`;
    return Object.assign(View, { preload });
  };
}
