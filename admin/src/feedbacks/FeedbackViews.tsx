import { DataTable, DateField, NumberField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { UserEmailField, DateTimeField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';

export function FeedbackList() {
  return (
    <ResourceList
      filters={
        <>
          <EnumFilter source="rating" label="Rating" values={[1, 2, 3, 4, 5]} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="created_at" field={DateTimeField} />
      <DataTable.Col source="user_id" label="User" field={UserEmailField} />
      <DataTable.Col source="rating" field={NumberField} />
      <DataTable.Col source="content" />
    </ResourceList>
  );
}

export function FeedbackShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <UserEmailField label="User" />
        <NumberField source="rating" />
        <TextField source="content" emptyText="—" />
        <DateField source="created_at" showTime />
      </SimpleShowLayout>
    </Show>
  );
}
