import { Button, Stack, TextField as MuiTextField } from '@mui/material';
import { useState } from 'react';
import { DataTable, DateField, TabbedShowLayout, useNotify, useRecordContext, useRefresh, type HttpError } from 'react-admin';
import { RelatedTable } from '../common/RelatedTable';
import { API_URL, httpClient } from '../httpClient';

/** Writes a note as the signed-in operator; the server signs and dates it. */
function AddNote() {
  const record = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  if (!record) return null;
  const save = async () => {
    setSaving(true);
    try {
      await httpClient(`${API_URL}/users/${record.id}/notes`, { method: 'POST', body: JSON.stringify({ body }) });
      setBody('');
      setError(undefined);
      notify('Note added', { type: 'success' });
      refresh();
    } catch (err) {
      const e = err as HttpError;
      setError((e.body as { errors?: Record<string, string> })?.errors?.body ?? e.message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: "flex-start" }}>
      <MuiTextField label="New note" value={body} onChange={(e) => setBody(e.target.value)} multiline minRows={2} fullWidth error={!!error} helperText={error} />
      <Button variant="contained" onClick={save} disabled={saving || !body.trim()}>
        Add note
      </Button>
    </Stack>
  );
}

export function NotesTab() {
  return (
    <TabbedShowLayout.Tab label="Notes" path="notes">
      <AddNote />
      <RelatedTable reference="user_notes" label={false} sort={{ field: 'created_at', order: 'DESC' }}>
        <DataTable.Col source="created_at" label="When" field={DateField} />
        <DataTable.Col source="author_email" label="Who" />
        <DataTable.Col source="body" label="Note" />
      </RelatedTable>
    </TabbedShowLayout.Tab>
  );
}
