import { DataTable, DateField, NumberField, ReferenceField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { UserEmailField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { CREDIT_TRANSACTION_TYPES } from '../../../contract';

// The ledger is append-only: corrections are new entries (grant/deduct on the user page).
export function CreditTransactionList() {
  return (
    <ResourceList
      bulkActions={false}
      search={false}
      filters={
        <>
          <EnumFilter source="type" label="Type" values={CREDIT_TRANSACTION_TYPES} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="created_at" field={DateField} />
      <DataTable.Col source="user_id" label="User" field={UserEmailField} />
      <DataTable.Col source="type" />
      <DataTable.Col source="amount" field={NumberField} />
      <DataTable.Col source="balance_after" field={NumberField} />
      <DataTable.Col source="description" />
    </ResourceList>
  );
}

export function CreditTransactionShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <UserEmailField label="User" />
        <TextField source="type" />
        <NumberField source="amount" />
        <NumberField source="balance_after" />
        <ReferenceField source="order_id" reference="orders" emptyText="—" />
        <TextField source="generation_id" emptyText="—" />
        <TextField source="description" emptyText="—" />
        <UserEmailField source="actor_id" label="Actor" />
        <DateField source="expires_at" showTime emptyText="—" />
        <DateField source="created_at" showTime />
      </SimpleShowLayout>
    </Show>
  );
}
