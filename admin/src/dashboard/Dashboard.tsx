import { Alert, Box, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Loading, Title } from 'react-admin';
import { useOps } from '../useOps';
import { StatsCharts } from './Charts';
import { PERIODS, statsQuery } from './period';
import { TodayTiles } from './Tiles';
import { WorkLists } from './WorkLists';

/** Home page: today's figures, then revenue, signups, generations and credits burn over a period. */
export default function Dashboard() {
  const ops = useOps();
  const [days, setDays] = useState<number>(30);
  const query = statsQuery(days);
  const { data, error, isPending } = useQuery({ queryKey: ['stats', query], queryFn: () => ops.stats(query) });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Dashboard" />
      {data && <TodayTiles today={data.today} />}
      <Typography variant="h6" sx={{ mt: 3 }}>
        To do
      </Typography>
      <WorkLists />
      <Stack direction="row" useFlexGap sx={{ my: 2, alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1 }}>
        <Typography variant="h6">Trends</Typography>
        <ToggleButtonGroup size="small" exclusive value={days} onChange={(_e, v) => v && setDays(v)} aria-label="Period">
          {PERIODS.map((p) => (
            <ToggleButton key={p.days} value={p.days}>
              {p.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Stack>
      {isPending && <Loading />}
      {error && <Alert severity="error">Could not load statistics: {(error as Error).message}</Alert>}
      {data && <StatsCharts stats={data} />}
    </Box>
  );
}
