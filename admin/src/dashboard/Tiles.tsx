import { Card, CardActionArea, CardContent, Grid, Typography } from '@mui/material';
import type { Stats } from '../dataProvider';
import { formatMoney } from '../common/fields';

/** `#/<resource>?filter=…`: a react-admin list opened with these filters. */
export function listHref(resource: string, filter: Record<string, unknown>, sort?: [string, 'ASC' | 'DESC']) {
  const params = new URLSearchParams({ filter: JSON.stringify(filter) });
  if (sort) {
    params.set('sort', sort[0]);
    params.set('order', sort[1]);
  }
  return `#/${resource}?${params}`;
}

function Tile({ label, value, href }: { label: string; value: string; href: string }) {
  return (
    <Card>
      <CardActionArea href={href} aria-label={label}>
        <CardContent>
          <Typography variant="overline" color="text.secondary">
            {label}
          </Typography>
          <Typography variant="h5" component="p">
            {value}
          </Typography>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

const n = (v: number) => v.toLocaleString('en-US');

/** Today's figures; each tile opens the list of the records it counts. Today is the UTC day, as in the stats. */
export function TodayTiles({ today, now = new Date() }: { today: Stats['today']; now?: Date }) {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
  const tiles = [
    { label: 'Net revenue today', value: formatMoney(today.revenue), href: listHref('orders', { paid_at_gte: since }, ['paid_at', 'DESC']) },
    { label: 'Signups today', value: n(today.signups), href: listHref('users', { created_at_gte: since }) },
    { label: 'Generations today', value: n(today.generations), href: listHref('generations', { created_at_gte: since }) },
    { label: 'Credits spent today', value: n(today.credits_spent), href: listHref('credit_transactions', { type: 'ai_generation', created_at_gte: since }) },
  ];
  return (
    <Grid container spacing={2} data-testid="today-tiles">
      {tiles.map((t) => (
        <Grid key={t.label} size={{ xs: 12, sm: 6, md: 3 }}>
          <Tile {...t} />
        </Grid>
      ))}
    </Grid>
  );
}
