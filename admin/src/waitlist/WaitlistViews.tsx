import { DataTable, TextInput, email, required } from 'react-admin';
import { DateTimeField } from '../common/fields';
import { formViews } from '../common/FormViews';
import { RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';

export function WaitlistList() {
  return (
    <ResourceList filters={<RecentFilter label="Joined" />} rowClick="edit">
      <DataTable.Col source="email" />
      <DataTable.Col source="source" />
      <DataTable.Col source="created_at" label="Joined" field={DateTimeField} />
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
