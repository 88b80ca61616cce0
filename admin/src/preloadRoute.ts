import type { LazyView } from './common/lazyViews';

type Views = Partial<Record<'list' | 'show' | 'edit' | 'create', unknown>>;

/**
 * On a cold load of `#/<resource>[/<id>[/show]]`, react-admin would check the session, then fetch the
 * view's chunk, then query the list: three round trips in a row. Starting the chunk download now, while
 * the session check runs, takes one of them off the path to the first rows.
 */
export function preloadRoute(hash: string, resources: Record<string, Views>) {
  const [, resource, id, verb] = hash.replace(/^#/, '').split('?')[0]!.split('/');
  const views = resource ? resources[resource] : undefined;
  if (!views) return;
  const view = id === undefined ? views.list : id === 'create' ? views.create : verb === 'show' ? views.show : views.edit;
  (view as LazyView | undefined)?.preload?.().catch(() => undefined);
}
