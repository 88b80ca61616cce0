import { useQuery } from '@tanstack/react-query';
import { FilterList, FilterListItem, DataTable } from 'react-admin';
import { DateTimeField, formatMoney } from '../common/fields';
import { BooleanFilter, CountedFilterItem, DateRangeInputs, EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { BannedChip } from './UserChips';
import { useOps } from '../useOps';
import { BIG_SPENDER_MINOR_UNITS, INACTIVE_DAYS, USER_ROLES, type SegmentCount } from '../../../contract';

/** A server segment with the size the server counted (at most every ten minutes), or why it has none. */
function SegmentItem({ segment, label, counts }: { segment: SegmentCount['segment']; label: string; counts?: SegmentCount[] }) {
  const c = counts?.find((x) => x.segment === segment);
  const at = c && new Date(c.counted_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const text = c?.count == null ? label : `${label} (${c.count.toLocaleString('en-US')})`;
  const title = !c ? undefined : c.count == null ? `No count: ${c.why_not}` : `Counted at ${at}; recounted every 10 minutes`;
  return <FilterListItem label={<span title={title}>{text}</span>} value={{ segment }} />;
}

/**
 * Ready-made segments; anything else an operator filters for can be kept with "Saved queries". The
 * flag segments count through their indexed columns; payers, big spenders and inactive users join
 * orders and activity, so the server counts them for everyone at most every ten minutes, and gives
 * up (no count, the reason on hover) when that takes longer than a label is worth.
 */
function Segments() {
  const ops = useOps();
  const { data: counts } = useQuery({ queryKey: ['users', 'segments'], queryFn: () => ops.userSegments(), staleTime: 60_000 });
  return (
    <FilterList label="Segments" icon={null}>
      <SegmentItem segment="payers" label="Payers" counts={counts} />
      <SegmentItem segment="big_spenders" label={`Big spenders (${formatMoney(BIG_SPENDER_MINOR_UNITS).replace(/\.00$/, '')}+)`} counts={counts} />
      <SegmentItem segment="inactive_30d" label={`Inactive ${INACTIVE_DAYS} days`} counts={counts} />
      <CountedFilterItem label="Affiliates" value={{ is_affiliate: true }} />
      <CountedFilterItem label="Banned" value={{ banned: true }} />
      <CountedFilterItem label="Operators" value={{ role: ['admin', 'support'] }} />
    </FilterList>
  );
}

export function UserList() {
  return (
    <ResourceList
      toolbarFilters={DateRangeInputs({ source: 'created_at', label: 'Signed up' })}
      mobile={{
        primaryText: (r) => r.email,
        secondaryText: (r) => [r.name, r.role !== 'member' ? r.role : null, r.banned ? 'banned' : null].filter(Boolean).join(' · '),
        tertiaryText: (r) => new Date(r.created_at).toLocaleDateString(),
      }}
      filters={
        <>
          <Segments />
          <EnumFilter source="role" label="Role" values={USER_ROLES} counted />
          <BooleanFilter source="banned" label="Banned" />
          <BooleanFilter source="is_affiliate" label="Affiliate" />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="id" />
      <DataTable.Col source="email" />
      <DataTable.Col source="name" />
      <DataTable.Col source="role" />
      <DataTable.Col source="banned" label="Status" field={BannedChip} />
      <DataTable.Col source="created_at" field={DateTimeField} />
    </ResourceList>
  );
}
