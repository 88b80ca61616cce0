import { Chip } from '@mui/material';
import { FunctionField, ReferenceField, TextField, useRecordContext } from 'react-admin';

/** The user behind a `*_id` column, shown by email (operators search by email, not by id). */
export function UserEmailField({ source = 'user_id', label }: { source?: string; label?: string }) {
  return (
    <ReferenceField source={source} reference="users" link="show" label={label} emptyText="—">
      <TextField source="email" />
    </ReferenceField>
  );
}

// A formatter is costly to build and cheap to reuse: a page of rows builds one per currency, not per cell.
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(cents: number | null | undefined, currency = 'usd') {
  if (cents == null) return '—';
  const code = currency.toUpperCase();
  let format = moneyFormats.get(code);
  if (!format) moneyFormats.set(code, (format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code })));
  return format.format(cents / 100);
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

// DateField builds an Intl formatter for every cell; one, reused, keeps a cold page's first render short.
const dateTime = new Intl.DateTimeFormat(undefined, DATE_TIME);

/** Date and time of day: operators line events up within a day ("who did what, when"). */
export function DateTimeField({ source = 'created_at', label, emptyText = '' }: { source?: string; label?: string; emptyText?: string }) {
  return <FunctionField source={source} label={label} render={(r) => (r[source] == null ? emptyText : dateTime.format(new Date(r[source])))} />;
}
