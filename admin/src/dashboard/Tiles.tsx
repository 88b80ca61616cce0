import { Card, CardContent, Grid, Typography } from '@mui/material';
import type { Stats } from '../dataProvider';
import { formatMoney } from '../common/fields';

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <CardContent>
        <Typography variant="overline" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" component="p">
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

const n = (v: number) => v.toLocaleString('en-US');

export function TodayTiles({ today }: { today: Stats['today'] }) {
  const tiles = [
    { label: 'Revenue today', value: formatMoney(today.revenue) },
    { label: 'Signups today', value: n(today.signups) },
    { label: 'Generations today', value: n(today.generations) },
    { label: 'Credits spent today', value: n(today.credits_spent) },
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
