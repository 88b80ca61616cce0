import { DataTable, DateField, FunctionField, Show, TabbedShowLayout, TextField, TextInput, required } from 'react-admin';
import { formViews } from '../common/FormViews';
import { StatusField, UserEmailField, DateTimeField } from '../common/fields';
import { RecentFilter } from '../common/FilterSidebar';
import { RelatedTable } from '../common/RelatedTable';
import { ResourceList } from '../common/ResourceList';

export function OrganizationList() {
  return (
    <ResourceList filters={<RecentFilter />}>
      <DataTable.Col source="name" />
      <DataTable.Col source="slug" />
      <DataTable.Col source="created_at" field={DateTimeField} />
    </ResourceList>
  );
}

export function OrganizationShow() {
  return (
    <Show>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Organization">
          <TextField source="name" />
          <TextField source="slug" />
          <TextField source="logo_url" emptyText="—" />
          <UserEmailField source="owner_id" label="Owner" />
          <FunctionField label="Metadata" render={(r) => (r.metadata ? JSON.stringify(r.metadata) : '—')} />
          <DateField source="created_at" showTime />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Members" path="members">
          <RelatedTable reference="members" target="organization_id" label={false}>
            <DataTable.Col source="user_id" label="User" field={UserEmailField} />
            <DataTable.Col source="role" />
            <DataTable.Col source="created_at" field={DateTimeField} />
          </RelatedTable>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Teams" path="teams">
          <RelatedTable reference="teams" target="organization_id" label={false}>
            <DataTable.Col source="name" />
            <DataTable.Col source="created_at" field={DateTimeField} />
          </RelatedTable>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Invitations" path="invitations">
          <RelatedTable reference="invitations" target="organization_id" label={false}>
            <DataTable.Col source="email" />
            <DataTable.Col source="role" />
            <DataTable.Col source="status" field={StatusField} />
            <DataTable.Col source="team_id" label="Team" />
            <DataTable.Col source="expires_at" field={DateTimeField} />
          </RelatedTable>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Projects" path="projects">
          <RelatedTable reference="projects" target="organization_id" label={false}>
            <DataTable.Col source="name" />
            <DataTable.Col source="user_id" label="User" field={UserEmailField} />
            <DataTable.Col source="status" field={StatusField} />
            <DataTable.Col source="created_at" field={DateTimeField} />
          </RelatedTable>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}

function OrganizationInputs() {
  return (
    <>
      <TextInput source="name" validate={required()} />
      <TextInput source="slug" validate={required()} />
      <TextInput source="logo_url" />
    </>
  );
}

export const { edit: OrganizationEdit, create: OrganizationCreate } = formViews(OrganizationInputs);
