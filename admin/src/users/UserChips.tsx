import { Chip, Stack } from '@mui/material';
import { useRecordContext } from 'react-admin';

const until = (iso: string | null | undefined) => (iso ? `until ${new Date(iso).toLocaleString()}` : 'no end date');

/** Banned, readable: a red chip with the reason and the end date in its tooltip text; nothing when not banned. */
export function BannedChip(_props: { source?: string; label?: string }) {
  const record = useRecordContext();
  if (!record?.banned) return null;
  return <Chip size="small" color="error" label="Banned" title={`${record.ban_reason ?? 'No reason given'} (${until(record.ban_expires)})`} />;
}

/** The user's standing at a glance: banned (with reason and expiry), affiliate, operator role. */
export function UserStatusChips() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid="user-status">
      {record.banned && <Chip sx={{ maxWidth: "100%" }} color="error" label={`Banned: ${record.ban_reason ?? 'no reason given'} (${until(record.ban_expires)})`} />}
      {record.is_affiliate && <Chip color="info" label="Affiliate" />}
      <Chip variant="outlined" label={record.role} />
    </Stack>
  );
}
