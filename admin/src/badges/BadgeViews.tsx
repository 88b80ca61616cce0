import { DataTable, NumberField, NumberInput, SelectInput, Show, SimpleShowLayout, TextField, TextInput, required } from 'react-admin';
import { formViews } from '../common/FormViews';
import { EnumFilter } from '../common/FilterSidebar';
import { RelatedTable } from '../common/RelatedTable';
import { ResourceList } from '../common/ResourceList';
import { UserEmailField, DateTimeField } from '../common/fields';
import { BADGE_CATEGORIES } from '../../../contract';

export function BadgeList() {
  return (
    <ResourceList filters={<EnumFilter source="category" label="Category" values={BADGE_CATEGORIES} />}>
      <DataTable.Col source="icon" />
      <DataTable.Col source="id" label="Slug" />
      <DataTable.Col source="name" />
      <DataTable.Col source="category" />
      <DataTable.Col source="xp_reward" field={NumberField} />
      <DataTable.Col source="sort_order" field={NumberField} />
    </ResourceList>
  );
}

export function BadgeShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="id" label="Slug" />
        <TextField source="icon" />
        <TextField source="name" />
        <TextField source="description" />
        <TextField source="category" />
        <NumberField source="xp_reward" />
        <NumberField source="sort_order" />
        <RelatedTable reference="user_badges" target="badge_id" label="Awarded to" sort={{ field: 'awarded_at', order: 'DESC' }}>
          <DataTable.Col source="user_id" label="User" field={UserEmailField} />
          <DataTable.Col source="awarded_at" field={DateTimeField} />
        </RelatedTable>
      </SimpleShowLayout>
    </Show>
  );
}

function BadgeInputs() {
  return (
    <>
      {/* The slug is the key the app's code uses; only a new badge gets one. */}
      <TextInput source="id" label="Slug" validate={required()} />
      <TextInput source="name" validate={required()} />
      <TextInput source="description" multiline validate={required()} />
      <TextInput source="icon" validate={required()} />
      <SelectInput source="category" choices={BADGE_CATEGORIES.map((c) => ({ id: c, name: c }))} validate={required()} />
      <NumberInput source="xp_reward" min={0} />
      <NumberInput source="sort_order" />
    </>
  );
}

export const { edit: BadgeEdit, create: BadgeCreate } = formViews(BadgeInputs, { category: 'milestone', xp_reward: 0, sort_order: 0 });
