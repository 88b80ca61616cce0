import {
  BooleanField,
  BooleanInput,
  Create,
  DataTable,
  DateField,
  FunctionField,
  NumberField,
  FormDataConsumer,
  PasswordInput,
  SelectInput,
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
import { KNOWN_AI_PROVIDERS } from '../../../contract';

const masked = (r: { last_four?: string }) => `•••• ${r.last_four ?? ''}`;

export function ProviderKeyList() {
  return (
    <ResourceList filters={<BooleanFilter source="enabled" label="Enabled" />}>
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

const OTHER = 'other';
const PROVIDER_CHOICES = [...KNOWN_AI_PROVIDERS.map((p) => ({ id: p, name: p })), { id: OTHER, name: 'other…' }];

/** A known provider from the list; a typed name only for "other", so one provider never gets two spellings. */
export const providerOf = ({ provider, provider_other, ...rest }: Record<string, unknown>) => ({
  ...rest,
  provider: provider === OTHER ? String(provider_other ?? '').trim().toLowerCase() : provider,
});

/** The secret is write-only: typed here once, encrypted by the server, never sent back. */
export function ProviderKeyCreate() {
  return (
    <Create redirect="show" transform={providerOf}>
      <SimpleForm defaultValues={{ enabled: true }}>
        <SelectInput source="provider" choices={PROVIDER_CHOICES} validate={required()} />
        <FormDataConsumer>
          {({ formData }) => formData.provider === OTHER && <TextInput source="provider_other" label="Provider name" validate={required()} helperText="Lower case, as the app names it" />}
        </FormDataConsumer>
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
