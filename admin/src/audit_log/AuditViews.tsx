import { AutocompleteInput, DataTable, DateField, FunctionField, ReferenceInput, Show, SimpleShowLayout, TextField, TextInput } from 'react-admin';
import { UserEmailField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { OPERATOR_ROLES } from '../../../contract';
import { RevertActions } from '../revisions/RevertButton';

const AUDITED = ['users', 'orders', 'credits', 'affiliates', 'ai_provider_keys', 'api_keys', 'badges', 'user_badges', 'posts', 'waitlist', 'organizations', 'auth'];

// Actors are operators: the autocomplete only offers accounts that can sign in to the console.
const auditFilters = [
  <ReferenceInput key="actor" source="actor_id" reference="users" filter={{ role: OPERATOR_ROLES }} alwaysOn>
    <AutocompleteInput label="Actor" optionText="email" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <TextInput key="record" source="record_id" label="Record id" />,
  <TextInput key="action" source="action" label="Action" />,
];

export function AuditList() {
  return (
    <ResourceList
      toolbarFilters={auditFilters}
      search={false}
      bulkActions={false}
      sort={{ field: 'created_at', order: 'DESC' }}
      filters={
        <>
          <EnumFilter source="resource" label="Resource" values={AUDITED} />
          <RecentFilter label="When" />
        </>
      }
    >
      <DataTable.Col source="created_at" label="When" field={DateField} />
      <DataTable.Col source="actor_email" label="Actor" />
      <DataTable.Col source="action" />
      <DataTable.Col source="resource" />
      <DataTable.Col source="record_id" label="Record" />
      <DataTable.Col source="ip" />
    </ResourceList>
  );
}

const json = (value: unknown) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{value == null ? '—' : JSON.stringify(value, null, 2)}</pre>;

export function AuditShow() {
  return (
    <Show actions={<RevertActions />}>
      <SimpleShowLayout>
        <DateField source="created_at" label="When" showTime />
        <TextField source="actor_email" label="Actor" emptyText="—" />
        <UserEmailField source="actor_id" label="Actor account" />
        <TextField source="action" />
        <TextField source="resource" />
        <TextField source="record_id" emptyText="—" />
        <FunctionField source="before" render={(r) => json(r.before)} />
        <FunctionField source="after" render={(r) => json(r.after)} />
        <TextField source="ip" emptyText="—" />
        <TextField source="request_id" emptyText="—" />
        <TextField source="approved_by_email" label="Approved by" emptyText="—" />
        <TextField source="reverts_id" label="Reverts audit row" emptyText="—" />
      </SimpleShowLayout>
    </Show>
  );
}
