import { Box, Card, CardContent, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useRecordContext } from 'react-admin';
import { formatMoney } from '../common/fields';
import { useOps } from '../useOps';
import { UserStatusChips } from './UserChips';

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box sx={{ minWidth: 110 }}>
      <Typography variant="overline" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="h6" component="div" data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' }) : '—');

/** The header of the user page: who this is, their standing and the figures support asks about first. */
export function UserSummaryHeader() {
  const record = useRecordContext();
  const ops = useOps();
  const { data } = useQuery({
    queryKey: ['users', 'summary', record?.id, record?.updated_at],
    queryFn: () => ops.userSummary(record!.id),
    enabled: !!record,
  });
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mb: 2 }} data-testid="user-summary">
      <CardContent>
        <Stack spacing={1.5}>
          <Typography variant="h6" sx={{ overflowWrap: 'anywhere' }}>
            {record.name ? `${record.name} · ` : ''}
            {record.email}
          </Typography>
          <UserStatusChips />
          <Stack direction="row" useFlexGap spacing={3} sx={{ flexWrap: 'wrap' }}>
            <Figure label="Balance" value={data ? data.balance.toLocaleString('en-US') : '…'} testId="summary-balance" />
            <Figure label="Lifetime spend" value={data ? formatMoney(data.lifetime_spend, data.currency) : '…'} testId="summary-spend" />
            <Figure label="Orders" value={data ? String(data.order_count) : '…'} testId="summary-orders" />
            <Figure label="Last active" value={data ? day(data.last_active_at) : '…'} />
            <Figure label="Signed up" value={day(record.created_at)} />
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
}
