import { useQuery } from '@tanstack/react-query';
import {
  AutocompleteInput,
  DataTable,
  downloadCSV,
  FunctionField,
  ReferenceInput,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  type Exporter,
} from 'react-admin';
import { Link } from '@mui/material';
import { DateTimeField, UserEmailField } from '../common/fields';
import { DateRangeInputs, EnumFilter, RecentFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { useOps } from '../useOps';
import { toCsv } from '../common/csv';
import { AuditDiff } from './AuditDiff';
import { OPERATOR_ROLES } from '../../../contract';
import { RevertActions } from '../revisions/RevertButton';

const AUDITED = ['users', 'orders', 'credits', 'generations', 'affiliates', 'ai_provider_keys', 'api_keys', 'badges', 'user_badges', 'posts', 'waitlist', 'organizations', 'auth'];

/** The actions the log actually holds, asked of the server rather than kept in a list here. */
function ActionInput(props: { source: string; label?: string; alwaysOn?: boolean }) {
  const ops = useOps();
  const { data = [] } = useQuery({ queryKey: ['audit_actions'], queryFn: () => ops.auditActions(), staleTime: 60_000 });
  return <SelectInput {...props} choices={data.map((a) => ({ id: a, name: a.replace(/_/g, ' ') }))} />;
}

// Actors are operators: the autocomplete only offers accounts that can sign in to the console.
const auditFilters = [
  <ActionInput key="action" source="action" label="Action" alwaysOn />,
  ...DateRangeInputs({ source: 'created_at', label: 'When' }),
  <ReferenceInput key="actor" source="actor_id" reference="users" filter={{ role: OPERATOR_ROLES }}>
    <AutocompleteInput label="Actor" optionText="email" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <TextInput key="record" source="record_id" label="Record id" />,
];

/** A record id as a link to that record; `auth` rows name an operator account. */
function RecordLink() {
  return (
    <FunctionField
      source="record_id"
      render={(r) => {
        if (r.record_id == null) return '—';
        const resource = r.resource === 'auth' || r.resource === 'credits' ? 'users' : r.resource;
        return (
          <Link href={`#/${resource}/${encodeURIComponent(r.record_id)}/show`} onClick={(e) => e.stopPropagation()}>
            {r.resource} {r.record_id}
          </Link>
        );
      }}
    />
  );
}

/** CSV with before and after as two JSON columns, not flattened into one column per nested key. */
export const auditExporter: Exporter = (records) => {
  const rows = records.map((r) => ({
    id: r.id,
    created_at: r.created_at,
    actor_email: r.actor_email,
    actor_id: r.actor_id,
    action: r.action,
    resource: r.resource,
    record_id: r.record_id,
    ip: r.ip,
    request_id: r.request_id,
    before: r.before,
    after: r.after,
  }));
  downloadCSV(toCsv(rows), 'audit_log');
};

export function AuditList() {
  return (
    <ResourceList
      toolbarFilters={auditFilters}
      search={false}
      bulkActions={false}
      exporter={auditExporter}
      mobile={{
        primaryText: (r) => `${r.action.replace(/_/g, ' ')} · ${r.resource} ${r.record_id ?? ''}`,
        secondaryText: (r) => r.actor_email ?? 'system',
        tertiaryText: (r) => new Date(r.created_at).toLocaleString(),
      }}
      filters={
        <>
          <EnumFilter source="resource" label="Resource" values={AUDITED} />
          <RecentFilter label="When" />
        </>
      }
    >
      <DataTable.Col source="created_at" label="When" field={DateTimeField} />
      <DataTable.Col source="actor_email" label="Actor" />
      <DataTable.Col source="action" />
      <DataTable.Col source="record_id" label="Record">
        <RecordLink />
      </DataTable.Col>
      <DataTable.Col source="ip" />
    </ResourceList>
  );
}

export function AuditShow() {
  return (
    <Show actions={<RevertActions />}>
      <SimpleShowLayout>
        <DateTimeField source="created_at" label="When" />
        <TextField source="actor_email" label="Actor" emptyText="—" />
        <UserEmailField source="actor_id" label="Actor account" />
        <TextField source="action" />
        <RecordLink />
        <AuditDiff />
        <TextField source="ip" emptyText="—" />
        <TextField source="request_id" emptyText="—" />
        <TextField source="approved_by_email" label="Approved by" emptyText="—" />
        <TextField source="reverts_id" label="Reverts audit row" emptyText="—" />
      </SimpleShowLayout>
    </Show>
  );
}
