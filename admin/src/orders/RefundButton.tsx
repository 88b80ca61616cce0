import UndoIcon from '@mui/icons-material/Undo';
import { Alert, Link, Stack, Typography } from '@mui/material';
import { useGetList, useRecordContext, type RaRecord } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { formatMoney } from '../common/fields';
import { useOps } from '../useOps';

/** Where the operator returns the money: opsroom only records a refund, the provider moves the funds. */
export function paymentLink(order: RaRecord): { provider: string; href: string } | undefined {
  const q = encodeURIComponent(String(order.order_no));
  switch (order.pay_type) {
    case 'stripe':
      return { provider: 'Stripe', href: `https://dashboard.stripe.com/search?query=${q}` };
    case 'paypal':
      return { provider: 'PayPal', href: `https://www.paypal.com/activities/?searchText=${q}` };
    default:
      return undefined;
  }
}

/**
 * Refund a paid order. The dialog says how many credits will come back: all the order granted, or,
 * when the user has spent some, the choice to reverse only what is left (the server's allow_partial).
 */
export function RefundButton() {
  const record = useRecordContext();
  const ops = useOps();
  const { data: balances } = useGetList('credits', { filter: { user_id: record?.user_id }, pagination: { page: 1, perPage: 1 } }, { enabled: record?.status === 'paid' });
  if (record?.status !== 'paid') return null;
  const granted = Number(record.credits);
  const left = balances ? Number(balances[0]?.left_credits ?? 0) : undefined;
  const partial = left !== undefined && left < granted;
  const link = paymentLink(record);
  const money = formatMoney(record.amount, record.currency);
  return (
    <ActionButton
      label="Refund"
      icon={<UndoIcon />}
      color="error"
      action="refund"
      resource="orders"
      title={`Refund order ${record.order_no}?`}
      content={
        <Stack spacing={1.5}>
          {partial ? (
            <Alert severity="warning" data-testid="refund-partial-warning">
              The order granted {granted} credits but the user has only {left} left. Tick the box to reverse just those {left}; the rest
              stay spent.
            </Alert>
          ) : (
            <Typography>The {granted} credits this order granted are taken back. Any unpaid commission is reversed.</Typography>
          )}
          <Typography variant="body2" color="text.secondary">
            Money: opsroom records the refund of {money} but sends no money back. Refund the payment at{' '}
            {link ? (
              <Link href={link.href} target="_blank" rel="noreferrer">
                {link.provider}
              </Link>
            ) : (
              'the payment provider'
            )}
            .
          </Typography>
        </Stack>
      }
      inputs={[
        { name: 'reason', label: 'Reason' },
        ...(partial ? [{ name: 'allow_partial', label: `Reverse only the ${left} credits left`, type: 'checkbox' as const }] : []),
      ]}
      success={`Order ${record.order_no} refunded`}
      run={(v) => ops.refund(record.id, { reason: v.reason || undefined, allow_partial: v.allow_partial === 'true' || undefined })}
    />
  );
}
