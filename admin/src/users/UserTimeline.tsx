import { Box, Link, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useRecordContext } from 'react-admin';
import type { TimelineEntry } from '../dataProvider';
import { useOps } from '../useOps';

const LABELS: Record<string, string> = {
  adjust_credits: 'Credits adjusted',
  ban: 'Banned',
  unban: 'Unbanned',
  refund: 'Order refunded',
  fail_refund: 'Generation failed, credits refunded',
  award: 'Badge awarded',
  reverse: 'Commission reversed',
  approve: 'Commission approved',
  pay: 'Commission paid',
  revoke: 'API key revoked',
  create: 'Created',
  update: 'Edited',
  delete: 'Deleted',
};

const what = (e: TimelineEntry) => LABELS[e.action] ?? e.action.replace(/_/g, ' ');

function Entry({ entry }: { entry: TimelineEntry }) {
  const amount = entry.amount == null ? '' : ` ${entry.amount > 0 ? '+' : ''}${entry.amount} credits`;
  return (
    <ListItem divider alignItems="flex-start" data-testid="timeline-entry">
      <ListItemText
        primary={
          <>
            <strong>{what(entry)}</strong>
            {amount}
            {entry.reason ? ` — ${entry.reason}` : ''}
          </>
        }
        secondary={
          <>
            {new Date(entry.created_at).toLocaleString()} · {entry.actor_email ?? 'system'} ·{' '}
            <Link href={`#/audit_log/${entry.id}/show`}>
              {entry.resource} {entry.record_id}
            </Link>
          </>
        }
        slotProps={{ primary: { sx: { overflowWrap: 'anywhere' } } }}
      />
    </ListItem>
  );
}

/** Everything the audit log holds about this user and their orders, generations, keys, badges and commissions. */
export function UserTimeline() {
  const record = useRecordContext();
  const ops = useOps();
  const { data, isPending, error } = useQuery({ queryKey: ['users', 'timeline', record?.id], queryFn: () => ops.userTimeline(record!.id), enabled: !!record });
  if (isPending) return <Typography color="text.secondary">Loading…</Typography>;
  if (error) return <Typography color="error">Could not load the timeline: {(error as Error).message}</Typography>;
  if (!data.length) return <Typography color="text.secondary">Nothing recorded yet.</Typography>;
  return (
    <Box>
      <List dense disablePadding>
        {data.map((e) => (
          <Entry key={e.id} entry={e} />
        ))}
      </List>
    </Box>
  );
}
