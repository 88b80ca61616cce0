import { DataTable, DateField, TextInput, email, required } from 'react-admin';
import { formViews } from '../common/FormViews';
import { RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';

export function WaitlistList() {
  return (
    <ResourceList filters={<RecentFilter label="Joined" />} rowClick="edit">
      <DataTable.Col source="email" />
      <DataTable.Col source="source" />
      <DataTable.Col source="created_at" label="Joined" field={DateField} />
    </ResourceList>
  );
}

function WaitlistInputs() {
  return (
    <>
      <TextInput source="email" validate={[required(), email()]} />
      <TextInput source="source" />
    </>
  );
}

export const { edit: WaitlistEdit, create: WaitlistCreate } = formViews(WaitlistInputs);
