import FilterListIcon from '@mui/icons-material/FilterList';
import { Button, Drawer, Tooltip, useMediaQuery, type Theme } from '@mui/material';
import { useState, type ReactElement, type ReactNode } from 'react';
import {
  CreateButton,
  DataTable,
  ExportButton,
  FilterButton,
  List,
  SimpleList,
  TopToolbar,
  useListContext,
  usePermissions,
  useResourceContext,
  useResourceDefinition,
  type Exporter,
  type RaRecord,
  type SortPayload,
} from 'react-admin';
import { canRole } from '../../../contract';
import { readableExporter } from './csv';
import { AfterFirstRows } from './afterFirstRows';
import { FilterSidebar, SIDEBAR_SX } from './FilterSidebar';
import { LIST_PER_PAGE, listSort } from './listDefaults';

// ExportButton's default cap; the button says when a list is longer than what it will export.
const EXPORT_LIMIT = 1000;

/** What a row shows on a phone, where a table cannot fit: SimpleList's three lines. */
export interface MobileRow {
  primaryText: (record: RaRecord) => ReactNode;
  secondaryText?: (record: RaRecord) => ReactNode;
  tertiaryText?: (record: RaRecord) => ReactNode;
}

interface ResourceListProps {
  /** Filter groups shown in the sidebar under the live search. */
  filters?: ReactNode;
  search?: boolean;
  /**
   * The list's own bulk buttons and the permission-matrix actions they run (contract/permissions.ts);
   * `false` for read-only resources. Without it, bulk delete for those who may delete.
   */
  bulkActions?: { buttons: ReactNode; actions: readonly string[] } | false;
  sort?: SortPayload;
  /** Filter inputs for the toolbar, for filters a sidebar list cannot offer (a date range, a reference picker). */
  toolbarFilters?: ReactElement[];
  rowClick?: 'show' | 'edit' | false;
  /** The row on narrow screens; without it the first column's source is the primary text. */
  mobile?: MobileRow;
  /** Replaces the readable CSV export (the audit log writes before/after as two JSON columns). */
  exporter?: Exporter;
  /** Columns in minor units: exported as decimals in the record's currency. */
  money?: readonly string[];
  /** A permanent filter (a tab's "this user only" list reuses the resource's list). */
  filter?: Record<string, unknown>;
  children: ReactNode;
}

function ListToolbar({ sidebar, hasToolbarFilters }: { sidebar: ReactNode; hasToolbarFilters: boolean }) {
  const { total } = useListContext();
  const { hasCreate } = useResourceDefinition();
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const [open, setOpen] = useState(false);
  const cut = total !== undefined && total > EXPORT_LIMIT;
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', rowGap: 1 }}>
      {narrow && sidebar && (
        <>
          <Button size="small" startIcon={<FilterListIcon />} onClick={() => setOpen(true)}>
            Filters
          </Button>
          <Drawer anchor="left" open={open} onClose={() => setOpen(false)} slotProps={{ paper: { sx: { width: 280, p: 1 } } }}>
            {sidebar}
          </Drawer>
        </>
      )}
      {hasToolbarFilters && <FilterButton />}
      {hasCreate && <CreateButton />}
      <Tooltip title={cut ? `Exports the first ${EXPORT_LIMIT.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows; filter to narrow it down` : ''}>
        <span>
          <ExportButton disabled={total === 0} label={cut ? `Export (first ${EXPORT_LIMIT.toLocaleString('en-US')})` : undefined} />
        </span>
      </Tooltip>
    </TopToolbar>
  );
}

/**
 * The list every resource uses: sidebar filters plus live search (a drawer on narrow screens),
 * sortable columns, CSV export and bulk actions; on a phone a SimpleList instead of the table. The
 * API pages with `range`, so 25 rows a page.
 */
export function ResourceList(props: ResourceListProps) {
  const { filters, search, bulkActions, sort, toolbarFilters, rowClick = 'show', mobile, exporter, money, filter, children } = props;
  const { permissions: role } = usePermissions<string>();
  const resource = useResourceContext() ?? '';
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const sidebarContent = <FilterSidebar search={search}>{filters}</FilterSidebar>;
  // No checkboxes for an operator who may run none of the list's bulk actions: a selection would lead nowhere.
  const bulk =
    bulkActions === undefined
      ? canRole(role, 'delete', resource) && undefined
      : bulkActions !== false && bulkActions.actions.some((action) => canRole(role, action, resource)) && bulkActions.buttons;
  return (
    <List
      aside={
        narrow ? undefined : (
          <AfterFirstRows placeholderSx={SIDEBAR_SX}>{sidebarContent}</AfterFirstRows>
        )
      }
      actions={<ListToolbar sidebar={sidebarContent} hasToolbarFilters={!!toolbarFilters?.length} />}
      filters={toolbarFilters}
      filter={filter}
      sort={sort ?? listSort(resource)}
      perPage={LIST_PER_PAGE}
      exporter={exporter ?? readableExporter(money)}
      sx={{ '& .RaList-main': { minWidth: 0 } }}
    >
      {phone ? (
        <SimpleList
          primaryText={mobile?.primaryText ?? ((r) => String(r.id))}
          secondaryText={mobile?.secondaryText}
          tertiaryText={mobile?.tertiaryText}
          rowClick={rowClick}
        />
      ) : (
        // Only the table scrolls sideways when its columns outgrow the screen, never the page.
        <DataTable
          rowClick={rowClick}
          bulkActionButtons={bulk}
          sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
        >
          {children}
        </DataTable>
      )}
    </List>
  );
}
