import BadgeIcon from '@mui/icons-material/Badge';
import BlockIcon from '@mui/icons-material/Block';
import EmojiEventsIcon from '@mui/icons-material/EmojiEvents';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import SavingsIcon from '@mui/icons-material/Savings';
import { EditButton, TopToolbar, useGetList, useRecordContext } from 'react-admin';
import { USER_ROLES } from '../../../contract';
import { ActionButton } from '../common/ActionButton';
import { useOps } from '../useOps';

const wholeNonZero = (v: string) => (/^-?\d+$/.test(v.trim()) && Number(v) !== 0 ? undefined : 'A whole number other than 0');

function AwardBadgeButton({ userId }: { userId: number }) {
  const ops = useOps();
  const { data: badges = [] } = useGetList('badges', { pagination: { page: 1, perPage: 200 }, sort: { field: 'sort_order', order: 'ASC' } });
  return (
    <ActionButton
      label="Award badge"
      icon={<EmojiEventsIcon />}
      action="award_badge"
      resource="users"
      title="Award a badge"
      inputs={[{ name: 'badge_id', label: 'Badge', required: true, choices: badges.map((b) => ({ id: String(b.id), name: b.name })) }]}
      success="Badge awarded"
      run={(v) => ops.awardBadge(userId, { badge_id: v.badge_id })}
    />
  );
}

/** The domain actions on a user: each hidden unless the operator's role allows it. */
export function UserActions() {
  const record = useRecordContext();
  const ops = useOps();
  if (!record) return <TopToolbar />;
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', rowGap: 1 }}>
      <ActionButton
        label="Credits"
        icon={<SavingsIcon />}
        action="grant_credits"
        resource="users"
        title={`Grant or deduct credits for ${record.email}`}
        content="A positive amount grants credits, a negative one deducts them. The reason goes into the ledger."
        inputs={[
          { name: 'amount', label: 'Amount', type: 'number', required: true, validate: wholeNonZero },
          { name: 'reason', label: 'Reason', required: true },
        ]}
        success="Credits updated"
        run={(v) => ops.grantCredits(record.id, { amount: Number(v.amount), reason: v.reason })}
      />
      {record.banned ? (
        <ActionButton
          label="Unban"
          icon={<LockOpenIcon />}
          action="unban"
          resource="users"
          title={`Unban ${record.email}?`}
          content="They will be able to sign in again."
          success="User unbanned"
          run={() => ops.unban(record.id)}
        />
      ) : (
        <ActionButton
          label="Ban"
          icon={<BlockIcon />}
          color="error"
          action="ban"
          resource="users"
          title={`Ban ${record.email}?`}
          inputs={[
            { name: 'reason', label: 'Reason', required: true },
            { name: 'expires_at', label: 'Expires (empty: never)', type: 'datetime-local' },
          ]}
          success="User banned"
          run={(v) => ops.ban(record.id, { reason: v.reason, expires_at: v.expires_at ? new Date(v.expires_at).toISOString() : null })}
        />
      )}
      <AwardBadgeButton userId={record.id as number} />
      <ActionButton
        label="Change role"
        icon={<BadgeIcon />}
        action="change_role"
        resource="users"
        title={`Change the role of ${record.email}`}
        content="A new role ends the user's console sessions. Admins and support may sign in to this console."
        inputs={[{ name: 'role', label: 'Role', required: true, choices: USER_ROLES.filter((r) => r !== record.role).map((r) => ({ id: r, name: r })) }]}
        success="Role changed"
        run={(v) => ops.changeRole(record.id, { role: v.role })}
      />
      <EditButton />
    </TopToolbar>
  );
}
