import { DataTable, DateField, FunctionField, ReferenceField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { MoneyField, StatusField, UserEmailField, DateTimeField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { BulkCommissionButtons, CommissionActions } from './CommissionButtons';
import { AFFILIATE_STATUSES } from '../../../contract';

const rate = (r: { commission_rate_bps: number }) => `${(r.commission_rate_bps / 100).toFixed(2)} %`;

export function AffiliateList() {
  return (
    <ResourceList
      money={['order_amount', 'commission_amount']}
      bulkActions={{ buttons: <BulkCommissionButtons />, actions: ['approve', 'pay'] }}
      filters={
        <>
          <EnumFilter source="status" label="Status" values={AFFILIATE_STATUSES} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="user_id" label="Affiliate" field={UserEmailField} />
      <DataTable.Col source="customer_email" />
      <DataTable.Col source="order_amount" field={MoneyField} />
      <DataTable.Col source="commission_amount" field={MoneyField} />
      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="created_at" field={DateTimeField} />
    </ResourceList>
  );
}

export function AffiliateShow() {
  return (
    <Show actions={<CommissionActions />}>
      <SimpleShowLayout>
        <UserEmailField label="Affiliate" />
        <ReferenceField source="order_id" reference="orders" emptyText="—" />
        <TextField source="customer_email" emptyText="—" />
        <MoneyField source="order_amount" />
        <FunctionField source="commission_rate_bps" label="Rate" render={rate} />
        <MoneyField source="commission_amount" />
        <StatusField source="status" />
        <DateField source="approved_at" showTime emptyText="—" />
        <DateField source="paid_at" showTime emptyText="—" />
        <DateField source="created_at" showTime />
      </SimpleShowLayout>
    </Show>
  );
}
