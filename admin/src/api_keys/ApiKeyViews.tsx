import BlockIcon from '@mui/icons-material/Block';
import { DataTable, DateField, Show, SimpleShowLayout, TextField, TopToolbar, useRecordContext } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { StatusField, UserEmailField } from '../common/fields';
import { EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { useOps } from '../useOps';
import { API_KEY_STATUSES } from '../../../contract';

export function ApiKeyList() {
  return (
    <ResourceList
      bulkActions={false}
      filters={
        <>
          <EnumFilter source="status" label="Status" values={API_KEY_STATUSES} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="name" />
      <DataTable.Col source="prefix" label="Key" render={(r) => `${r.prefix}…`} />
      <DataTable.Col source="user_id" label="User" field={UserEmailField} />
      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="last_used_at" field={DateField} />
      <DataTable.Col source="created_at" field={DateField} />
    </ResourceList>
  );
}

function RevokeButton() {
  const record = useRecordContext();
  const ops = useOps();
  if (record?.status !== 'active') return null;
  return (
    <ActionButton
      label="Revoke"
      icon={<BlockIcon />}
      color="error"
      action="revoke"
      resource="api_keys"
      title={`Revoke "${record.name}"?`}
      content="Requests with this key fail from now on. This cannot be undone."
      success="Key revoked"
      run={() => ops.revokeApiKey(record.id)}
    />
  );
}

export function ApiKeyShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <RevokeButton />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="prefix" />
        <UserEmailField label="User" />
        <StatusField source="status" />
        <DateField source="last_used_at" showTime emptyText="never" />
        <DateField source="revoked_at" showTime emptyText="—" />
        <DateField source="created_at" showTime />
      </SimpleShowLayout>
    </Show>
  );
}
