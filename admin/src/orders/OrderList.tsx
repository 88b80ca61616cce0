import { DataTable } from 'react-admin';
import { formatMoney, MoneyField, StatusField, UserEmailField, DateTimeField } from '../common/fields';
import { DateRangeInputs, EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { ORDER_INTERVALS, ORDER_STATUSES } from '../../../contract';

export function OrderList() {
  return (
    <ResourceList
      money={['amount']}
      // Orders are financial records: they change through refunds, never by bulk delete.
      bulkActions={false}
      toolbarFilters={[...DateRangeInputs({ source: 'created_at', label: 'Created' }), ...DateRangeInputs({ source: 'paid_at', label: 'Paid', alwaysOn: false })]}
      mobile={{
        primaryText: (r) => `${r.order_no} · ${formatMoney(r.amount, r.currency)}`,
        secondaryText: (r) => `${r.product_name} · ${r.status}`,
        tertiaryText: (r) => new Date(r.created_at).toLocaleDateString(),
      }}
      filters={
        <>
          <EnumFilter source="status" label="Status" values={ORDER_STATUSES} />
          <EnumFilter source="interval" label="Billing" values={ORDER_INTERVALS} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="order_no" />
      <DataTable.Col source="user_id" label="User" field={UserEmailField} />
      <DataTable.Col source="product_name" />
      <DataTable.Col source="amount" field={MoneyField} />
      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="paid_at" field={DateTimeField} />
      <DataTable.Col source="created_at" field={DateTimeField} />
    </ResourceList>
  );
}
