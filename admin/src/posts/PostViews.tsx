import { DataTable, DateField, SelectInput, Show, SimpleShowLayout, TextField, TextInput, required } from 'react-admin';
import { formViews } from '../common/FormViews';
import { StatusField, UserEmailField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { POST_STATUSES } from '../../../contract';

export function PostList() {
  return (
    <ResourceList
      filters={
        <>
          <EnumFilter source="status" label="Status" values={POST_STATUSES} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="title" />
      <DataTable.Col source="slug" />
      <DataTable.Col source="locale" />
      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="author_id" label="Author" field={UserEmailField} />
      <DataTable.Col source="updated_at" field={DateField} />
    </ResourceList>
  );
}

export function PostShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="title" />
        <TextField source="slug" />
        <TextField source="locale" />
        <StatusField source="status" />
        <UserEmailField source="author_id" label="Author" />
        <TextField source="description" emptyText="—" />
        <TextField source="cover_url" emptyText="—" />
        <TextField source="content" component="pre" sx={{ whiteSpace: 'pre-wrap' }} />
        <DateField source="created_at" showTime />
        <DateField source="updated_at" showTime />
      </SimpleShowLayout>
    </Show>
  );
}

function PostInputs() {
  return (
    <>
      <TextInput source="title" validate={required()} />
      <TextInput source="slug" validate={required()} />
      <TextInput source="locale" validate={required()} />
      <SelectInput source="status" choices={POST_STATUSES.map((s) => ({ id: s, name: s }))} validate={required()} />
      <TextInput source="description" multiline />
      <TextInput source="cover_url" />
      <TextInput source="content" multiline minRows={8} fullWidth />
    </>
  );
}

export const { edit: PostEdit, create: PostCreate } = formViews(PostInputs, { locale: 'en', status: 'draft', content: '' });
