import { getQuery, parseQueryFromLocation, type GetListParams, type GetListResult } from 'react-admin';
import { LIST_PER_PAGE, listSort } from './common/listDefaults';
import type { LazyView } from './common/lazyViews';

type Views = Partial<Record<'list' | 'show' | 'edit' | 'create', unknown>>;
type GetList = (resource: string, params: GetListParams) => Promise<GetListResult>;

// react-admin's default store (localStorageStore) keeps each list's last sort, page and filters here.
const STORED_PARAMS = (resource: string) => `RaStore.${resource}.listParams`;

let firstList: { resource: string; key: string; result: Promise<GetListResult>; at: number } | undefined;
// The list mounts within a second of the page; an answer older than this (the operator signed in
// first, or left and came back) is not what they expect to see.
const FRESH_MS = 10_000;

const keyOf = (p: Pick<GetListParams, 'pagination' | 'sort' | 'filter'>) =>
  JSON.stringify([p.pagination?.page, p.pagination?.perPage, p.sort?.field, p.sort?.order, p.filter ?? {}]);

/**
 * On a cold load of `#/<resource>[/<id>[/show]]`, react-admin would check the session, then fetch the
 * view's chunk, then query the list: three round trips in a row. Before React mounts, this starts
 * the chunk download and, on a list, the list's first page (the params react-admin will ask for,
 * from the URL or the list's stored params, as react-admin's own getQuery merges them), so all of
 * them run while the session check does. The list then takes the answer instead of asking again.
 * At `#/` it starts the dashboard's chunk.
 *
 * Settles when the page's chunk has arrived (or failed): a signed-in console mounts after that, so
 * the page's first render finds its view loaded and does not suspend (see lazyViews).
 */
export function preloadRoute(hash: string, pages: { resources: Record<string, Views>; dashboard: LazyView }, getList: GetList): Promise<unknown> {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const [, resource, id, verb] = path.split('/');
  if (!resource) return pages.dashboard.preload().catch(() => undefined);
  const views = pages.resources[resource];
  if (!views) return Promise.resolve();
  const view = id === undefined ? views.list : id === 'create' ? views.create : verb === 'show' ? views.show : views.edit;
  if (id === undefined && views.list) prefetchList(resource, search, getList);
  return (view as LazyView | undefined)?.preload().catch(() => undefined) ?? Promise.resolve();
}

function prefetchList(resource: string, search: string, getList: GetList) {
  let stored: unknown;
  try {
    stored = JSON.parse(window.localStorage.getItem(STORED_PARAMS(resource)) ?? 'null');
  } catch {
    stored = null;
  }
  const query = getQuery({
    queryFromLocation: parseQueryFromLocation({ search: search ? `?${search}` : '' }),
    params: stored ?? undefined,
    filterDefaultValues: undefined,
    sort: listSort(resource),
    perPage: LIST_PER_PAGE,
  });
  const params: GetListParams = {
    pagination: { page: query.page, perPage: query.perPage },
    sort: { field: query.sort, order: query.order },
    filter: { ...query.filter },
  };
  const result = getList(resource, params);
  const entry = { resource, key: keyOf(params), result, at: performance.now() };
  firstList = entry;
  // A signed-out visitor's prefetch fails (401): forget it, so the list asks afresh after sign-in.
  result.catch(() => {
    if (firstList === entry) firstList = undefined;
  });
}

/** The prefetched first page when the list asks for exactly it, once; otherwise undefined. */
export function takeFirstList(resource: string, params: GetListParams): Promise<GetListResult> | undefined {
  if (firstList && performance.now() - firstList.at > FRESH_MS) firstList = undefined;
  if (!firstList || firstList.resource !== resource || firstList.key !== keyOf(params)) return undefined;
  const { result } = firstList;
  firstList = undefined;
  return result;
}
