import { DataTable, DateField, NumberField, ReferenceField, Show, TabbedShowLayout, TextField, UrlField } from 'react-admin';
import { GENERATION_STATUSES } from '../../../contract';
import { DateTimeField, StatusField, UserEmailField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { RelatedTable } from '../common/RelatedTable';
import { ResourceList } from '../common/ResourceList';

export function ProjectList() {
  return (
    <ResourceList
      bulkActions={false}
      rowClick="show"
      filters={
        <>
          <EnumFilter source="status" label="Status" values={GENERATION_STATUSES} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="name" />
      <DataTable.Col source="organization_id" label="Workspace">
        <ReferenceField source="organization_id" reference="organizations" link="show" />
      </DataTable.Col>
      <DataTable.Col source="user_id" label="User" field={UserEmailField} />
      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="created_at" field={DateTimeField} />
    </ResourceList>
  );
}

/** A project and what was made in it: the restyled images and the videos animated from them. */
export function ProjectShow() {
  return (
    <Show>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Project">
          <TextField source="name" />
          <ReferenceField source="organization_id" reference="organizations" link="show" label="Workspace" />
          <UserEmailField label="User" />
          <StatusField />
          <DateField source="created_at" showTime />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Images" path="images">
          <RelatedTable reference="project_images" target="project_id" label={false}>
            <DataTable.Col source="style_template" label="Style" />
            <DataTable.Col source="status" field={StatusField} />
            <DataTable.Col source="original_storage_key" label="Original" />
            <DataTable.Col source="edited_url" label="Edited">
              <UrlField source="edited_url" emptyText="—" target="_blank" rel="noreferrer" />
            </DataTable.Col>
            <DataTable.Col source="error" />
          </RelatedTable>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Videos" path="videos">
          <RelatedTable reference="project_videos" target="project_id" label={false}>
            <DataTable.Col source="source_image_id" label="From image" />
            <DataTable.Col source="status" field={StatusField} />
            <DataTable.Col source="storage_key" label="Storage key" />
            <DataTable.Col source="duration_seconds" label="Seconds" field={NumberField} />
            <DataTable.Col source="error" />
          </RelatedTable>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}
