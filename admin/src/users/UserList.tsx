import { FilterList, FilterListItem, DataTable } from 'react-admin';
import { DateTimeField, formatMoney } from '../common/fields';
import { BooleanFilter, CountedFilterItem, DateRangeInputs, EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { BannedChip } from './UserChips';
import { BIG_SPENDER_MINOR_UNITS, INACTIVE_DAYS, USER_ROLES } from '../../../contract';

/**
 * Ready-made segments; anything else an operator filters for can be kept with "Saved queries". The
 * flag segments show counts (indexed columns); payers, big spenders and inactive users are server
 * segments over orders and activity, too costly to count on every visit to the list.
 */
function Segments() {
  return (
    <FilterList label="Segments" icon={null}>
      <FilterListItem label="Payers" value={{ segment: 'payers' }} />
      <FilterListItem label={`Big spenders (${formatMoney(BIG_SPENDER_MINOR_UNITS).replace(/\.00$/, '')}+)`} value={{ segment: 'big_spenders' }} />
      <FilterListItem label={`Inactive ${INACTIVE_DAYS} days`} value={{ segment: 'inactive_30d' }} />
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
