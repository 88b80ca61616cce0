import { DataTable, DateField, NumberField, Show, SimpleShowLayout, TextField, TopToolbar } from 'react-admin';
import { MoneyField, StatusField, UserEmailField, DateTimeField } from '../common/fields';
import { RelatedTable } from '../common/RelatedTable';
import { RefundButton } from './RefundButton';

export function OrderShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <RefundButton />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <TextField source="order_no" />
        <UserEmailField label="User" />
        <TextField source="product_name" />
        <MoneyField source="amount" />
        <TextField source="currency" />
        <StatusField source="status" />
        <NumberField source="credits" />
        <TextField source="interval" />
        <TextField source="pay_type" emptyText="—" />
        <TextField source="paid_email" emptyText="—" />
        <DateField source="paid_at" showTime emptyText="—" />
        <DateField source="refunded_at" showTime emptyText="—" />
        <DateField source="created_at" showTime />
        <RelatedTable reference="credit_transactions" target="order_id" label="Credit entries">
          <DataTable.Col source="created_at" field={DateTimeField} />
          <DataTable.Col source="type" />
          <DataTable.Col source="amount" field={NumberField} />
          <DataTable.Col source="description" />
        </RelatedTable>
      </SimpleShowLayout>
    </Show>
  );
}
