import { Card, CardContent } from '@mui/material';
import type { ReactElement, ReactNode } from 'react';
import { DateInput, FilterList, FilterListItem, FilterLiveSearch, SavedQueriesList, useGetList, useResourceContext } from 'react-admin';

const DAY = 86_400_000;

/** Where the sidebar sits beside a list, and the space kept for it while it waits (AfterFirstRows). */
export const SIDEBAR_SX = { order: -1, mr: { md: 2 }, mt: { md: 8 }, width: { md: 220 }, flexShrink: 0 } as const;

/**
 * One sidebar for every list: live search on `q`, the operator's saved queries (kept in this
 * browser), then the resource's own filter groups. ResourceList puts it in a drawer on narrow screens.
 */
export function FilterSidebar({ children, search = true }: { children?: ReactNode; search?: boolean }) {
  return (
    <Card sx={SIDEBAR_SX} elevation={0} variant="outlined" data-testid="filter-sidebar">
      <CardContent>
        {search && <FilterLiveSearch source="q" label="Search" />}
        <SavedQueriesList />
        {children}
      </CardContent>
    </Card>
  );
}

/**
 * A sidebar item that shows how many records it selects. Each count is one more list request with
 * a one-row page, so it is for filters an index answers; a segment that aggregates other tables
 * (spend, activity) stays a plain FilterListItem.
 */
export function CountedFilterItem({ label, value }: { label: string; value: Record<string, unknown> }) {
  const resource = useResourceContext();
  const { total } = useGetList(resource!, { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: value }, { staleTime: 60_000 });
  return <FilterListItem label={total === undefined ? label : `${label} (${total.toLocaleString('en-US')})`} value={value} />;
}

/** A filter group for an enum column: one item per value, with counts when `counted` (an indexed column). */
export function EnumFilter({ source, label, values, counted }: { source: string; label: string; values: readonly (string | number)[]; counted?: boolean }) {
  const Item = counted ? CountedFilterItem : FilterListItem;
  return (
    <FilterList label={label} icon={null}>
      {values.map((value) => (
        <Item key={value} label={String(value).replace(/_/g, ' ')} value={{ [source]: value }} />
      ))}
    </FilterList>
  );
}

export function BooleanFilter({ source, label }: { source: string; label: string }) {
  return (
    <FilterList label={label} icon={null}>
      <FilterListItem label="Yes" value={{ [source]: true }} />
      <FilterListItem label="No" value={{ [source]: false }} />
    </FilterList>
  );
}

/** Created in the last day / week / month, as a `_gte` filter the API understands. */
export function RecentFilter({ source = 'created_at', label = 'Created' }: { source?: string; label?: string }) {
  // Rounded to the hour so the filter value (and the list's cache key) stays stable while it is open.
  const now = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  const since = (days: number) => new Date(now - days * DAY).toISOString();
  return (
    <FilterList label={label} icon={null}>
      <FilterListItem label="Last 24 hours" value={{ [`${source}_gte`]: since(1) }} />
      <FilterListItem label="Last 7 days" value={{ [`${source}_gte`]: since(7) }} />
      <FilterListItem label="Last 30 days" value={{ [`${source}_gte`]: since(30) }} />
    </FilterList>
  );
}

/** Any range on a date column: two toolbar inputs writing `<source>_gte` and `<source>_lte`. */
export function DateRangeInputs({ source, label, alwaysOn = true }: { source: string; label: string; alwaysOn?: boolean }): ReactElement[] {
  return [
    <DateInput key={`${source}_gte`} source={`${source}_gte`} label={`${label} from`} alwaysOn={alwaysOn} parse={startOfDay} format={dayOf} />,
    <DateInput key={`${source}_lte`} source={`${source}_lte`} label={`${label} until`} alwaysOn={alwaysOn} parse={endOfDay} format={dayOf} />,
  ];
}

// Whole days in UTC, the server's clock: "until the 20th" includes the 20th.
const startOfDay = (v: string) => (v ? `${v.slice(0, 10)}T00:00:00.000Z` : null);
const dayOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '');
const endOfDay = (v: string) => (v ? `${v.slice(0, 10)}T23:59:59.999Z` : null);

/** Generations nothing will settle: still pending or processing an hour after they started. */
export function StuckFilter() {
  const hourAgo = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
  return (
    <FilterList label="Needs attention" icon={null}>
      <CountedFilterItem label="Stuck (over an hour)" value={{ status: ['pending', 'processing'], created_at_lt: hourAgo }} />
    </FilterList>
  );
}
