import {
  BooleanField,
  DataTable,
  DateField,
  NumberField,
  ReferenceField,
  ReferenceOneField,
  Show,
  TabbedShowLayout,
  TextField,
} from 'react-admin';
import { MoneyField, StatusField, UserEmailField } from '../common/fields';
import { RelatedTable } from '../common/RelatedTable';
import { NotesTab } from '../notes/NotesTab';
import { UserActions } from './UserActions';

function ProfileTab() {
  return (
    <TabbedShowLayout.Tab label="Profile">
      <TextField source="id" />
      <TextField source="email" />
      <TextField source="name" emptyText="—" />
      <TextField source="nickname" emptyText="—" />
      <TextField source="role" />
      <BooleanField source="banned" />
      <TextField source="ban_reason" emptyText="—" />
      <DateField source="ban_expires" showTime emptyText="never" />
      <TextField source="invite_code" />
      <UserEmailField source="invited_by" label="Invited by" />
      <BooleanField source="is_affiliate" />
      <TextField source="locale" emptyText="—" />
      <TextField source="signin_provider" emptyText="—" />
      <DateField source="created_at" showTime />
      <DateField source="updated_at" showTime />
    </TabbedShowLayout.Tab>
  );
}

function CreditsTab() {
  return (
    <TabbedShowLayout.Tab label="Credits" path="credits">
      <ReferenceOneField reference="credits" target="user_id" label="Balance" emptyText="0">
        <NumberField source="left_credits" data-testid="credit-balance" />
      </ReferenceOneField>
      <ReferenceOneField reference="credits" target="user_id" label="Granted in total" emptyText="0">
        <NumberField source="total_credits" />
      </ReferenceOneField>
      <RelatedTable reference="credit_transactions" label="Ledger">
        <DataTable.Col source="created_at" field={DateField} />
        <DataTable.Col source="type" />
        <DataTable.Col source="amount" field={NumberField} />
        <DataTable.Col source="balance_after" field={NumberField} />
        <DataTable.Col source="description" />
      </RelatedTable>
    </TabbedShowLayout.Tab>
  );
}

function OrdersTab() {
  return (
    <TabbedShowLayout.Tab label="Orders" path="orders">
      <RelatedTable reference="orders" label={false}>
        <DataTable.Col source="order_no" />
        <DataTable.Col source="product_name" />
        <DataTable.Col source="amount" field={MoneyField} />
        <DataTable.Col source="status" field={StatusField} />
        <DataTable.Col source="created_at" field={DateField} />
      </RelatedTable>
    </TabbedShowLayout.Tab>
  );
}

function GenerationsTab() {
  return (
    <TabbedShowLayout.Tab label="Generations" path="generations">
      <RelatedTable reference="generations" label={false}>
        <DataTable.Col source="created_at" field={DateField} />
        <DataTable.Col source="provider" />
        <DataTable.Col source="model" />
        <DataTable.Col source="status" field={StatusField} />
        <DataTable.Col source="credits_cost" field={NumberField} />
      </RelatedTable>
    </TabbedShowLayout.Tab>
  );
}

function BadgesTab() {
  return (
    <TabbedShowLayout.Tab label="Badges & XP" path="badges">
      <ReferenceOneField reference="user_xp" target="user_id" label="XP" emptyText="0">
        <NumberField source="total_xp" />
      </ReferenceOneField>
      <ReferenceOneField reference="user_xp" target="user_id" label="Level" emptyText="1">
        <NumberField source="level" />
      </ReferenceOneField>
      <RelatedTable reference="user_badges" label="Badges" sort={{ field: 'awarded_at', order: 'DESC' }}>
        <DataTable.Col source="badge_id" label="Badge">
          <ReferenceField source="badge_id" reference="badges" link="show">
            <TextField source="name" />
          </ReferenceField>
        </DataTable.Col>
        <DataTable.Col source="awarded_at" field={DateField} />
        <DataTable.Col source="awarded_by" label="Awarded by">
          <UserEmailField source="awarded_by" />
        </DataTable.Col>
      </RelatedTable>
      <RelatedTable reference="xp_transactions" label="XP history">
        <DataTable.Col source="created_at" field={DateField} />
        <DataTable.Col source="source" />
        <DataTable.Col source="amount" field={NumberField} />
        <DataTable.Col source="description" />
      </RelatedTable>
    </TabbedShowLayout.Tab>
  );
}

function AuditTab() {
  return (
    <TabbedShowLayout.Tab label="Audit trail" path="audit">
      <RelatedTable reference="audit_log" target="record_id" filter={{ resource: 'users' }} label={false}>
        <DataTable.Col source="created_at" field={DateField} />
        <DataTable.Col source="actor_email" label="Actor" />
        <DataTable.Col source="action" />
      </RelatedTable>
    </TabbedShowLayout.Tab>
  );
}

export function UserShow() {
  return (
    <Show actions={<UserActions />}>
      {/* TabbedShowLayout reads its children's Tab props, so the tabs are called, not rendered as components. */}
      <TabbedShowLayout>
        {ProfileTab()}
        {CreditsTab()}
        {OrdersTab()}
        {GenerationsTab()}
        {BadgesTab()}
        {NotesTab()}
        {AuditTab()}
      </TabbedShowLayout>
    </Show>
  );
}
