import { Chip } from '@mui/material';
import { DateField, FunctionField, ReferenceField, TextField, useRecordContext, type DateFieldProps } from 'react-admin';

/** The user behind a `*_id` column, shown by email (operators search by email, not by id). */
export function UserEmailField({ source = 'user_id', label }: { source?: string; label?: string }) {
  return (
    <ReferenceField source={source} reference="users" link="show" label={label} emptyText="—">
      <TextField source="email" />
    </ReferenceField>
  );
}

export function formatMoney(cents: number | null | undefined, currency = 'usd') {
  if (cents == null) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}

/** Money is stored in minor units; shown in the record's own currency. */
export function MoneyField({ source, label }: { source: string; label?: string }) {
  return <FunctionField source={source} label={label} render={(r) => formatMoney(r[source], r.currency ?? 'usd')} />;
}

const STATUS_COLORS: Record<string, 'success' | 'warning' | 'error' | 'default' | 'info'> = {
  paid: 'success',
  completed: 'success',
  active: 'success',
  approved: 'info',
  published: 'success',
  pending: 'warning',
  processing: 'warning',
  draft: 'default',
  failed: 'error',
  cancelled: 'default',
  refunded: 'error',
  revoked: 'error',
  reversed: 'error',
};

export function StatusField({ source = 'status' }: { source?: string; label?: string }) {
  const record = useRecordContext();
  const value = record?.[source];
  if (value == null) return null;
  return <Chip size="small" label={String(value)} color={STATUS_COLORS[String(value)] ?? 'default'} />;
}

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };

/** Date and time of day: operators line events up within a day ("who did what, when"). */
export function DateTimeField(props: DateFieldProps) {
  return <DateField showTime options={DATE_TIME} {...props} />;
}
