import type { SortPayload } from 'react-admin';

/** Rows per page of every resource list (the API pages with `range`). */
export const LIST_PER_PAGE = 25;

const DEFAULT_SORT: SortPayload = { field: 'id', order: 'DESC' };

// Lists whose natural order is not "newest id first". Read by ResourceList and by the first-list
// prefetch, which must ask for exactly what the list will ask for.
const SORTS: Record<string, SortPayload> = {
  badges: { field: 'sort_order', order: 'ASC' },
  ai_provider_keys: { field: 'provider', order: 'ASC' },
  generations: { field: 'created_at', order: 'DESC' },
  audit_log: { field: 'created_at', order: 'DESC' },
};

export const listSort = (resource: string): SortPayload => (Object.hasOwn(SORTS, resource) ? SORTS[resource]! : DEFAULT_SORT);
