import UndoIcon from '@mui/icons-material/Undo';
import { DataTable, DateField, NumberField, Show, SimpleShowLayout, TextField, TopToolbar, useRecordContext } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { MoneyField, StatusField, UserEmailField } from '../common/fields';
import { RelatedTable } from '../common/RelatedTable';
import { useOps } from '../useOps';

/** Only a paid order can be refunded; the server says 409 otherwise, so the button is not offered. */
function RefundButton() {
  const record = useRecordContext();
  const ops = useOps();
  if (record?.status !== 'paid') return null;
  return (
    <ActionButton
      label="Refund"
      icon={<UndoIcon />}
      color="error"
      action="refund"
      resource="orders"
      title={`Refund order ${record.order_no}?`}
      content={`The ${record.credits} credits this order granted are taken back and any unpaid commission is reversed.`}
      inputs={[{ name: 'reason', label: 'Reason' }]}
      success="Order refunded"
      run={(v) => ops.refund(record.id, { reason: v.reason || undefined })}
    />
  );
}

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
          <DataTable.Col source="created_at" field={DateField} />
          <DataTable.Col source="type" />
          <DataTable.Col source="amount" field={NumberField} />
          <DataTable.Col source="description" />
        </RelatedTable>
      </SimpleShowLayout>
    </Show>
  );
}
