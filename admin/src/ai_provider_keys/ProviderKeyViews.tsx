import {
  BooleanField,
  BooleanInput,
  Create,
  DataTable,
  DateField,
  FunctionField,
  NumberField,
  PasswordInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  required,
} from 'react-admin';
import { DateTimeField } from '../common/fields';
import { ConflictAwareEdit } from '../common/ConflictAwareEdit';
import { BooleanFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { ProviderKeyActions } from './ProviderKeyActions';

const masked = (r: { last_four?: string }) => `•••• ${r.last_four ?? ''}`;

export function ProviderKeyList() {
  return (
    <ResourceList filters={<BooleanFilter source="enabled" label="Enabled" />} sort={{ field: 'provider', order: 'ASC' }}>
      <DataTable.Col source="provider" />
      <DataTable.Col source="label" />
      <DataTable.Col source="last_four" label="Key" render={masked} />
      <DataTable.Col source="enabled" field={BooleanField} />
      <DataTable.Col source="key_version" field={NumberField} />
      <DataTable.Col source="rotated_at" field={DateTimeField} />
    </ResourceList>
  );
}

export function ProviderKeyShow() {
  return (
    <Show actions={<ProviderKeyActions />}>
      <SimpleShowLayout>
        <TextField source="provider" />
        <TextField source="label" emptyText="—" />
        <FunctionField source="last_four" label="Key" render={masked} />
        <BooleanField source="enabled" />
        <NumberField source="key_version" />
        <FunctionField source="model_config" render={(r) => <pre style={{ margin: 0 }}>{JSON.stringify(r.model_config ?? {}, null, 2)}</pre>} />
        <DateField source="rotated_at" showTime emptyText="never" />
        <DateField source="created_at" showTime />
      </SimpleShowLayout>
    </Show>
  );
}

/** The secret is write-only: typed here once, encrypted by the server, never sent back. */
export function ProviderKeyCreate() {
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ enabled: true }}>
        <TextInput source="provider" validate={required()} helperText="e.g. openai, replicate, fal" />
        <TextInput source="label" />
        <PasswordInput source="key" label="API key" validate={required()} autoComplete="off" helperText="Shown once, never again: only its last four characters are kept visible." />
        <BooleanInput source="enabled" />
      </SimpleForm>
    </Create>
  );
}

// No key input on edit: a form must never pre-fill a secret, and rotation has its own action.
export function ProviderKeyEdit() {
  return (
    <ConflictAwareEdit>
      <SimpleForm>
        <TextInput source="label" />
        <BooleanInput source="enabled" />
      </SimpleForm>
    </ConflictAwareEdit>
  );
}
