import DoneIcon from '@mui/icons-material/Done';
import PaidIcon from '@mui/icons-material/Paid';
import type { Identifier } from 'react-admin';
import { TopToolbar, useListContext, useRecordContext } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { useOps } from '../useOps';

function CommissionButton({ ids, verb, onDone }: { ids: Identifier[]; verb: 'approve' | 'pay'; onDone?: () => void }) {
  const ops = useOps();
  const n = ids.length === 1 ? 'this commission' : `${ids.length} commissions`;
  const approve = verb === 'approve';
  return (
    <ActionButton
      label={approve ? 'Approve' : 'Mark paid'}
      icon={approve ? <DoneIcon /> : <PaidIcon />}
      action={verb}
      resource="affiliates"
      title={approve ? `Approve ${n}?` : `Mark ${n} as paid?`}
      content={approve ? undefined : 'Only approved commissions can be marked paid.'}
      success={approve ? 'Approved' : 'Marked paid'}
      run={async () => {
        const result = await (approve ? ops.approveCommission(ids) : ops.payCommission(ids));
        onDone?.();
        return result.pendingApproval;
      }}
    />
  );
}

/** On the show page: the next step of this commission's pending → approved → paid path. */
export function CommissionActions() {
  const record = useRecordContext();
  if (!record) return <TopToolbar />;
  return (
    <TopToolbar>
      {record.status === 'pending' && <CommissionButton ids={[record.id]} verb="approve" />}
      {record.status === 'approved' && <CommissionButton ids={[record.id]} verb="pay" />}
    </TopToolbar>
  );
}

/** In the list's bulk toolbar: the same actions for every selected row. */
export function BulkCommissionButtons() {
  const { selectedIds, onUnselectItems } = useListContext();
  return (
    <>
      <CommissionButton ids={selectedIds} verb="approve" onDone={() => onUnselectItems()} />
      <CommissionButton ids={selectedIds} verb="pay" onDone={() => onUnselectItems()} />
    </>
  );
}
