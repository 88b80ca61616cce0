import { FilterList, FilterListItem, DataTable } from 'react-admin';
import { DateTimeField } from '../common/fields';
import { BooleanFilter, DateRangeInputs, EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { BannedChip } from './UserChips';
import { USER_ROLES } from '../../../contract';

/** Ready-made segments; anything else an operator filters for can be kept with "Saved queries". */
function Segments() {
  return (
    <FilterList label="Segments" icon={null}>
      <FilterListItem label="Affiliates" value={{ is_affiliate: true }} />
      <FilterListItem label="Banned" value={{ banned: true }} />
      <FilterListItem label="Operators" value={{ role: ['admin', 'support'] }} />
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
          <EnumFilter source="role" label="Role" values={USER_ROLES} />
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
