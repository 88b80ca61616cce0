import { Button, Card, CardContent, CardHeader, Grid, List, ListItemButton, ListItemText, Typography } from '@mui/material';
import { useGetList, type RaRecord } from 'react-admin';
import { formatMoney } from '../common/fields';
import { listHref } from './Tiles';

interface WorkList {
  title: string;
  resource: string;
  filter: Record<string, unknown>;
  sort: [string, 'ASC' | 'DESC'];
  primary: (r: RaRecord) => string;
  secondary: (r: RaRecord) => string;
}

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

function WorkCard({ title, resource, filter, sort, primary, secondary }: WorkList) {
  const { data = [], total, isPending } = useGetList(resource, { filter, sort: { field: sort[0], order: sort[1] }, pagination: { page: 1, perPage: 5 } });
  const href = listHref(resource, filter, sort);
  return (
    <Card variant="outlined" sx={{ height: '100%', minWidth: 0 }} data-testid={`work-${resource}`}>
      <CardHeader title={`${title}${total != null ? ` (${total.toLocaleString('en-US')})` : ''}`} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0 }}>
        {isPending ? (
          <Typography color="text.secondary">Loading…</Typography>
        ) : data.length === 0 ? (
          <Typography color="text.secondary">Nothing to do.</Typography>
        ) : (
          <List dense disablePadding>
            {data.map((r) => (
              <ListItemButton key={r.id} href={`#/${resource}/${r.id}/show`}>
                <ListItemText primary={primary(r)} secondary={secondary(r)} sx={{ minWidth: 0 }} slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }} />
              </ListItemButton>
            ))}
          </List>
        )}
        <Button size="small" href={href}>
          See all
        </Button>
      </CardContent>
    </Card>
  );
}

/** The dashboard's to-do: what needs an operator, each a link to the filtered list behind it. */
export function WorkLists({ now = Date.now() }: { now?: number }) {
  const hourAgo = new Date(Math.floor(now / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
  const lists: WorkList[] = [
    {
      title: 'Stuck generations',
      resource: 'generations',
      filter: { status: ['pending', 'processing'], created_at_lt: hourAgo },
      sort: ['created_at', 'ASC'],
      primary: (r) => `${r.model} · ${r.credits_cost} credits`,
      secondary: (r) => `${r.status} since ${when(r.created_at)}`,
    },
    {
      title: 'Pending commissions',
      resource: 'affiliates',
      filter: { status: 'pending' },
      sort: ['created_at', 'ASC'],
      primary: (r) => `${formatMoney(r.commission_amount)} on ${formatMoney(r.order_amount)}`,
      secondary: (r) => r.customer_email ?? when(r.created_at),
    },
    {
      title: 'Recent refunds',
      resource: 'orders',
      filter: { status: 'refunded' },
      sort: ['refunded_at', 'DESC'],
      primary: (r) => `${r.order_no} · ${formatMoney(r.amount, r.currency)}`,
      secondary: (r) => `refunded ${when(r.refunded_at)}`,
    },
    {
      title: 'Failed payments',
      resource: 'orders',
      filter: { status: 'failed' },
      sort: ['created_at', 'DESC'],
      primary: (r) => `${r.order_no} · ${formatMoney(r.amount, r.currency)}`,
      secondary: (r) => `${r.paid_email ?? ''} ${when(r.created_at)}`,
    },
  ];
  return (
    <Grid container spacing={2} sx={{ mt: 0 }} data-testid="work-lists">
      {lists.map((l) => (
        <Grid key={l.title} size={{ xs: 12, sm: 6, lg: 3 }}>
          <WorkCard {...l} />
        </Grid>
      ))}
    </Grid>
  );
}
