import CheckIcon from '@mui/icons-material/Check';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField as MuiTextField } from '@mui/material';
import { useState } from 'react';
import { AutocompleteInput, Create, ReferenceInput, SimpleForm, TextInput, required, useNotify, useRedirect } from 'react-admin';

/** The plaintext key exists in exactly one response; show it once, then forget it. */
function NewKeyDialog({ apiKey, onClose }: { apiKey: string; onClose: () => void }) {
  const notify = useNotify();
  const [copied, setCopied] = useState(false);
  // The operator must know the key reached the clipboard: the dialog is the only chance to take it.
  const copy = () =>
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(apiKey))
      .then(
        () => {
          setCopied(true);
          notify('API key copied to the clipboard', { type: 'success' });
        },
        () => notify('Could not copy: select the key and copy it by hand', { type: 'warning' }),
      );
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>Copy the new API key now</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          This is the only time the key is shown. Only its hash is stored.
        </Alert>
        <MuiTextField value={apiKey} fullWidth slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'new-api-key' } }} onFocus={(e) => e.target.select()} />
      </DialogContent>
      <DialogActions>
        <Button onClick={copy} startIcon={copied ? <CheckIcon /> : undefined}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="contained" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function ApiKeyCreate() {
  const redirect = useRedirect();
  const [created, setCreated] = useState<{ id: number; key: string }>();
  return (
    <>
      <Create mutationOptions={{ onSuccess: (data: { id: number; key: string }) => setCreated({ id: data.id, key: data.key }) }}>
        <SimpleForm>
          <TextInput source="name" validate={required()} />
          <ReferenceInput source="user_id" reference="users">
            <AutocompleteInput label="User" optionText="email" filterToQuery={(q) => ({ q })} validate={required()} />
          </ReferenceInput>
        </SimpleForm>
      </Create>
      {created && (
        <NewKeyDialog
          apiKey={created.key}
          onClose={() => {
            const id = created.id;
            setCreated(undefined);
            redirect('show', 'api_keys', id);
          }}
        />
      )}
    </>
  );
}
