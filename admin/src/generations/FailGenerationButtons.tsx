import ReportIcon from '@mui/icons-material/Report';
import { TopToolbar, useListContext, useRecordContext, type Identifier } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { useOps } from '../useOps';

/** A generation nothing will settle any more: the provider never answered, the credits stay charged. */
export const isUnsettled = (status: unknown) => status === 'pending' || status === 'processing';

function FailButton({ ids, onDone }: { ids: Identifier[]; onDone?: () => void }) {
  const ops = useOps();
  const what = ids.length === 1 ? 'this generation' : `${ids.length} generations`;
  return (
    <ActionButton
      label="Mark failed & refund"
      icon={<ReportIcon />}
      color="warning"
      action="fail_refund"
      resource="generations"
      title={`Mark ${what} failed and refund the credits?`}
      content="The credits charged are given back through the ledger, and the reason is kept on the generation and in the audit log. Only pending or processing generations qualify; if any selected one has settled, nothing changes."
      inputs={[{ name: 'reason', label: 'Reason', required: true }]}
      success={(r) => {
        const done = (r as { data: { credits_refunded: number }[] }).data;
        const credits = done.reduce((sum, g) => sum + g.credits_refunded, 0);
        return `${done.length === 1 ? 'Generation' : `${done.length} generations`} marked failed; ${credits} credits refunded`;
      }}
      run={async (v) => {
        const result = await ops.failGenerations(ids, v.reason);
        onDone?.();
        return result;
      }}
    />
  );
}

export function GenerationActions() {
  const record = useRecordContext();
  return <TopToolbar>{record && isUnsettled(record.status) && <FailButton ids={[record.id]} />}</TopToolbar>;
}

export function BulkFailButton() {
  const { selectedIds, onUnselectItems } = useListContext();
  return <FailButton ids={selectedIds} onDone={() => onUnselectItems()} />;
}
