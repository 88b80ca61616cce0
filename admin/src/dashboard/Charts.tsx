import { Card, CardContent, CardHeader, Grid } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import type { ReactElement } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Stats } from '../dataProvider';
import { formatMoney } from '../common/fields';

function ChartCard({ title, children }: { title: string; children: ReactElement }) {
  return (
    <Card data-testid="chart">
      <CardHeader title={title} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ height: 260 }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </CardContent>
    </Card>
  );
}

const shortDate = (iso: string) => new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const compact = (v: number) => new Intl.NumberFormat('en-US', { notation: 'compact' }).format(v);
const dollars = (cents: number) => formatMoney(cents).replace(/\.00$/, '');

// No animation: operators reload this page all day, and a half-drawn chart reads as missing data.
export function StatsCharts({ stats }: { stats: Stats }) {
  const { palette } = useTheme();
  const series = stats.series.map((b) => ({ ...b, credits_spent: Math.abs(b.credits_spent) }));
  // The window ends with today (or this week), which is still running: its bucket is marked partial.
  const last = series.at(-1)?.bucket;
  const label = (iso: string) => (iso === last ? `${shortDate(iso)} (so far)` : shortDate(iso));
  const axis = <XAxis dataKey="bucket" tickFormatter={label} minTickGap={16} />;
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Revenue, net of refunds">
          <AreaChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis tickFormatter={dollars} width={70} />
            <Tooltip labelFormatter={(l) => label(String(l))} formatter={(v) => formatMoney(Number(v))} />
            <Legend />
            <Area isAnimationActive={false} type="monotone" dataKey="revenue" name="Net revenue" stroke={palette.success.main} fill={palette.success.light} />
            <Area isAnimationActive={false} type="monotone" dataKey="refunds" name="Refunds" stroke={palette.error.main} fill={palette.error.light} />
          </AreaChart>
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Signups">
          <BarChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(l) => label(String(l))} />
            <Bar isAnimationActive={false} dataKey="signups" name="Signups" fill={palette.primary.main} />
          </BarChart>
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Generations">
          <LineChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(l) => label(String(l))} />
            <Line isAnimationActive={false} type="monotone" dataKey="generations" name="Generations" stroke={palette.secondary.main} dot={false} />
          </LineChart>
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Credits burn">
          <AreaChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis tickFormatter={compact} width={56} />
            <Tooltip labelFormatter={(l) => label(String(l))} formatter={(v) => Number(v).toLocaleString('en-US')} />
            <Legend />
            <Area isAnimationActive={false} type="monotone" dataKey="credits_granted" name="Granted" stroke={palette.info.main} fill={palette.info.light} />
            <Area isAnimationActive={false} type="monotone" dataKey="credits_spent" name="Spent" stroke={palette.warning.main} fill={palette.warning.light} />
          </AreaChart>
        </ChartCard>
      </Grid>
    </Grid>
  );
}
