import {
  BooleanField,
  DataTable,
  DateField,
  NumberField,
  ReferenceField,
  ReferenceOneField,
  Show,
  TabbedShowLayout,
  TabbedShowLayoutTabs,
  TextField,
  useRecordContext,
} from 'react-admin';
import { Button } from '@mui/material';
import { MoneyField, StatusField, UserEmailField, DateTimeField } from '../common/fields';
import { RelatedTable } from '../common/RelatedTable';
import { NotesTab } from '../notes/NotesTab';
import { UserActions } from './UserActions';
import { BannedChip } from './UserChips';
import { UserSummaryHeader } from './UserSummary';
import { UserTimeline } from './UserTimeline';

/** Every tab ends with the way to the whole list, filtered on this user, with its sorting and export. */
function FullList({ reference, label, target = 'user_id', extra }: { reference: string; label: string; target?: string; extra?: Record<string, unknown> }) {
  const record = useRecordContext();
  if (!record) return null;
  const filter = encodeURIComponent(JSON.stringify({ ...extra, [target]: target === 'record_id' ? String(record.id) : record.id }));
  return (
    <Button size="small" href={`#/${reference}?filter=${filter}`} sx={{ mt: 1 }}>
      All {label} of this user
    </Button>
  );
}

function ProfileTab() {
  return (
    <TabbedShowLayout.Tab label="Profile">
      <TextField source="id" />
      <TextField source="email" />
      <TextField source="name" emptyText="—" />
      <TextField source="nickname" emptyText="—" />
      <TextField source="role" />
      <BannedChip source="banned" label="Banned" />
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
        <DataTable.Col source="created_at" field={DateTimeField} />
        <DataTable.Col source="type" />
        <DataTable.Col source="amount" field={NumberField} />
        <DataTable.Col source="balance_after" field={NumberField} />
        <DataTable.Col source="description" />
      </RelatedTable>
      <FullList reference="credit_transactions" label="ledger entries" />
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
        <DataTable.Col source="created_at" field={DateTimeField} />
      </RelatedTable>
      <FullList reference="orders" label="orders" />
    </TabbedShowLayout.Tab>
  );
}

function GenerationsTab() {
  return (
    <TabbedShowLayout.Tab label="Generations" path="generations">
      <RelatedTable reference="generations" label={false}>
        <DataTable.Col source="created_at" field={DateTimeField} />
        <DataTable.Col source="provider" />
        <DataTable.Col source="model" />
        <DataTable.Col source="status" field={StatusField} />
        <DataTable.Col source="credits_cost" field={NumberField} />
      </RelatedTable>
      <FullList reference="generations" label="generations" />
    </TabbedShowLayout.Tab>
  );
}

function ApiKeysTab() {
  return (
    <TabbedShowLayout.Tab label="API keys" path="api_keys">
      <RelatedTable reference="api_keys" label={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="prefix" label="Key" render={(r) => `${r.prefix}…`} />
        <DataTable.Col source="status" field={StatusField} />
        <DataTable.Col source="last_used_at" field={DateTimeField} />
        <DataTable.Col source="created_at" field={DateTimeField} />
      </RelatedTable>
      <FullList reference="api_keys" label="API keys" />
    </TabbedShowLayout.Tab>
  );
}

function CommissionsTab() {
  return (
    <TabbedShowLayout.Tab label="Commissions" path="commissions">
      <RelatedTable reference="affiliates" label={false}>
        <DataTable.Col source="customer_email" />
        <DataTable.Col source="order_amount" field={MoneyField} />
        <DataTable.Col source="commission_amount" field={MoneyField} />
        <DataTable.Col source="status" field={StatusField} />
        <DataTable.Col source="created_at" field={DateTimeField} />
      </RelatedTable>
      <FullList reference="affiliates" label="commissions" />
    </TabbedShowLayout.Tab>
  );
}

function TimelineTab() {
  return (
    <TabbedShowLayout.Tab label="Timeline" path="timeline">
      <UserTimeline />
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
        <DataTable.Col source="awarded_at" field={DateTimeField} />
        <DataTable.Col source="awarded_by" label="Awarded by">
          <UserEmailField source="awarded_by" />
        </DataTable.Col>
      </RelatedTable>
      <RelatedTable reference="xp_transactions" label="XP history">
        <DataTable.Col source="created_at" field={DateTimeField} />
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
        <DataTable.Col source="created_at" field={DateTimeField} />
        <DataTable.Col source="actor_email" label="Actor" />
        <DataTable.Col source="action" />
      </RelatedTable>
      <FullList reference="audit_log" label="audit entries" target="record_id" extra={{ resource: 'users' }} />
    </TabbedShowLayout.Tab>
  );
}

export function UserShow() {
  return (
    <Show actions={<UserActions />} sx={{ '& .RaShow-main, & .RaShow-card': { minWidth: 0 }, '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}>
      <UserSummaryHeader />
      {/* TabbedShowLayout reads its children's Tab props, so the tabs are called, not rendered as components. */}
      <TabbedShowLayout tabs={<TabbedShowLayoutTabs variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile />}>
        {ProfileTab()}
        {CreditsTab()}
        {OrdersTab()}
        {GenerationsTab()}
        {ApiKeysTab()}
        {CommissionsTab()}
        {BadgesTab()}
        {NotesTab()}
        {TimelineTab()}
        {AuditTab()}
      </TabbedShowLayout>
    </Show>
  );
}
