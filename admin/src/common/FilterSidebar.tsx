import { Card, CardContent } from '@mui/material';
import type { ReactNode } from 'react';
import { FilterList, FilterListItem, FilterLiveSearch } from 'react-admin';

const DAY = 86_400_000;

/** One sidebar for every list: live search on `q`, then the resource's own filter groups. */
export function FilterSidebar({ children, search = true }: { children?: ReactNode; search?: boolean }) {
  return (
    <Card sx={{ order: -1, mr: 2, mt: 8, width: 220, flexShrink: 0, display: { xs: 'none', md: 'block' } }}>
      <CardContent>
        {search && <FilterLiveSearch source="q" label="Search" />}
        {children}
      </CardContent>
    </Card>
  );
}

/** A filter group for an enum column: one item per value. */
export function EnumFilter({ source, label, values }: { source: string; label: string; values: readonly (string | number)[] }) {
  return (
    <FilterList label={label} icon={null}>
      {values.map((value) => (
        <FilterListItem key={value} label={String(value).replace(/_/g, ' ')} value={{ [source]: value }} />
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
