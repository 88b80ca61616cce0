import type { ReactElement, ReactNode } from 'react';
import { DataTable, List, type SortPayload } from 'react-admin';
import { FilterSidebar } from './FilterSidebar';

interface ResourceListProps {
  /** Filter groups shown in the sidebar under the live search. */
  filters?: ReactNode;
  search?: boolean;
  /** Extra bulk buttons; `false` for read-only resources. Delete is added for those who may delete. */
  bulkActions?: ReactNode | false;
  sort?: SortPayload;
  /** Filter inputs for the toolbar, for filters a sidebar list cannot offer (a reference picker). */
  toolbarFilters?: ReactElement[];
  rowClick?: 'show' | 'edit' | false;
  children: ReactNode;
}

/**
 * The list every resource uses: sidebar filters plus live search, sortable columns, CSV export
 * (the default list actions) and bulk actions. The API pages with `range`, so 25 rows a page.
 */
export function ResourceList({ filters, search, bulkActions, sort, toolbarFilters, rowClick = 'show', children }: ResourceListProps) {
  return (
    <List
      aside={<FilterSidebar search={search}>{filters}</FilterSidebar>}
      filters={toolbarFilters}
      sort={sort ?? { field: 'id', order: 'DESC' }}
      perPage={25}
    >
      <DataTable rowClick={rowClick} bulkActionButtons={bulkActions === undefined ? undefined : bulkActions}>
        {children}
      </DataTable>
    </List>
  );
}
