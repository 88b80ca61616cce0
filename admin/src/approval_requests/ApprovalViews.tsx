import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import { Chip } from '@mui/material';
import { DataTable, FunctionField, Show, ShowButton, SimpleShowLayout, TextField, TopToolbar, useRecordContext } from 'react-admin';
import { APPROVAL_STATUSES } from '../../../contract';
import { ActionButton } from '../common/ActionButton';
import { DateTimeField, UserEmailField } from '../common/fields';
import { EnumFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { useOps } from '../useOps';
import { effectiveStatus } from './pending';

const COLORS: Record<string, 'warning' | 'success' | 'default' | 'error'> = { pending: 'warning', approved: 'success', rejected: 'default', expired: 'default', failed: 'error' };

function StatusChip() {
  const record = useRecordContext();
  if (!record) return null;
  const status = effectiveStatus(record as never);
  return <Chip size="small" label={status} color={COLORS[status] ?? 'default'} />;
}

const DECISIONS = [
  { decision: 'approve', label: 'Approve', icon: <CheckIcon />, color: 'primary', title: 'Approve and run this change?', note: 'Note (optional)', success: 'Approved: the change ran' },
  { decision: 'reject', label: 'Reject', icon: <CloseIcon />, color: 'error', title: 'Reject this change?', note: 'Why (optional)', success: 'Rejected: nothing ran' },
] as const;

/** Approve and Reject on a request still open; the server refuses your own approval and says so. */
function DecisionButtons() {
  const record = useRecordContext();
  const ops = useOps();
  if (!record || effectiveStatus(record as never) !== 'pending') return null;
  return DECISIONS.map((d) => (
    <ActionButton
      key={d.decision}
      label={d.label}
      icon={d.icon}
      color={d.color}
      action={d.decision}
      resource="approval_requests"
      title={d.title}
      content={String(record.summary)}
      inputs={[{ name: 'note', label: d.note }]}
      success={d.success}
      run={(v) => ops.decideApproval(record.id, d.decision, v.note ? { note: v.note } : {})}
    />
  ));
}

export function ApprovalList() {
  return (
    // No row click: a click inside the decision dialog would bubble up to the row and leave the page.
    <ResourceList
      bulkActions={false}
      rowClick={false}
      sort={{ field: 'created_at', order: 'DESC' }}
      filters={<EnumFilter source="status" label="Status" values={APPROVAL_STATUSES} />}
      mobile={{ primaryText: (r) => r.summary, secondaryText: (r) => `${effectiveStatus(r as never)} · ${r.requested_by_email}` }}
    >
      <DataTable.Col source="created_at" label="Asked" field={DateTimeField} />
      <DataTable.Col source="summary" label="Change" />
      <DataTable.Col source="requested_by_email" label="Asked by" />
      <DataTable.Col source="status">
        <StatusChip />
      </DataTable.Col>
      <DataTable.Col source="expires_at" label="Expires" field={DateTimeField} />
      <DataTable.Col label="Decide" disableSort>
        <DecisionButtons />
        <ShowButton />
      </DataTable.Col>
    </ResourceList>
  );
}

export function ApprovalShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <DecisionButtons />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <TextField source="summary" label="Change" />
        <FunctionField label="Status" render={() => <StatusChip />} />
        <TextField source="requested_by_email" label="Asked by" />
        <DateTimeField source="created_at" label="Asked" />
        <DateTimeField source="expires_at" label="Expires" />
        <TextField source="decided_by_email" label="Decided by" emptyText="—" />
        <UserEmailField source="decided_by" label="Decider account" />
        <DateTimeField source="decided_at" label="Decided" />
        <TextField source="decision_note" label="Note" emptyText="—" />
        <TextField source="error" label="Why it failed" emptyText="—" />
      </SimpleShowLayout>
    </Show>
  );
}
