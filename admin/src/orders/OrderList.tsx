import { DataTable, DateField } from 'react-admin';
import { MoneyField, StatusField, UserEmailField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { ORDER_INTERVALS, ORDER_STATUSES } from '../../../contract';

export function OrderList() {
  return (
    <ResourceList
      // Orders are financial records: they change through refunds, never by bulk delete.
      bulkActions={false}
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
      <DataTable.Col source="paid_at" field={DateField} />
      <DataTable.Col source="created_at" field={DateField} />
    </ResourceList>
  );
}
