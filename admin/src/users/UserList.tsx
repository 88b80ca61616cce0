import { BooleanField, DataTable, DateField } from 'react-admin';
import { BooleanFilter, EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { USER_ROLES } from '../../../contract';

export function UserList() {
  return (
    <ResourceList
      filters={
        <>
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
      <DataTable.Col source="banned" field={BooleanField} />
      <DataTable.Col source="created_at" field={DateField} />
    </ResourceList>
  );
}
