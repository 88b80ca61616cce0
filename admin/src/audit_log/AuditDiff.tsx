import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useRecordContext } from 'react-admin';

type Json = Record<string, unknown> | null | undefined;
const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** Every field in before or after; the changed ones first and highlighted. */
export function diffRows(before: Json, after: Json) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const rows = keys.map((key) => {
    const was = before?.[key];
    const now = after?.[key];
    return { key, was, now, changed: show(was) !== show(now) };
  });
  return [...rows.filter((r) => r.changed), ...rows.filter((r) => !r.changed)];
}

/** Before and after side by side, one row per field, changed rows marked for the eye and for tests. */
export function AuditDiff() {
  const record = useRecordContext();
  if (!record) return null;
  const rows = diffRows(record.before, record.after);
  if (!rows.length) return <span>No record data.</span>;
  return (
    <Table size="small" data-testid="audit-diff" sx={{ tableLayout: 'fixed', width: '100%', '& td': { overflowWrap: 'anywhere', verticalAlign: 'top' } }}>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Before</TableCell>
          <TableCell>After</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.key} data-changed={r.changed ? 'true' : undefined} sx={r.changed ? { bgcolor: 'warning.light', '& td': { fontWeight: 600 } } : undefined}>
            <TableCell>{r.key}</TableCell>
            <TableCell>{show(r.was)}</TableCell>
            <TableCell>{show(r.now)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
