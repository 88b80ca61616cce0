import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, List, ListItem, ListItemIcon, ListItemText, MenuItem, Stack, TextField, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import KeyIcon from '@mui/icons-material/Key';
import { forwardRef, useCallback, useEffect, useState } from 'react';
import { type HttpError, useUserMenu } from 'react-admin';
import { API_URL, httpClient } from '../httpClient';
import { createPasskey } from './passkeyCeremony';

type Factors = { totp: boolean; passkeys: { id: number; name: string; created_at: string; last_used_at: string | null }[]; recovery_codes_left: number; required: boolean };

const messageOf = (err: unknown) => ((err as HttpError).body as { message?: string })?.message ?? (err as Error).message ?? 'That did not work.';

/** The signed-in operator's own second factors: add a passkey, remove one. */
function SecurityDialog({ onClose }: { onClose: () => void }) {
  const [factors, setFactors] = useState<Factors>();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [codes, setCodes] = useState<string[]>();
  const load = useCallback(() => httpClient(`${API_URL}/auth/mfa`).then(({ json }) => setFactors(json), (err) => setError(messageOf(err))), []);
  useEffect(() => void load(), [load]);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const created = await createPasskey({ name: name.trim() || 'Passkey' });
      if (created.recovery_codes) setCodes(created.recovery_codes);
      setName('');
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const remove = async (id: number) => {
    setError(undefined);
    try {
      await httpClient(`${API_URL}/auth/mfa/passkeys/${id}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Sign-in security</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          {error && <Alert severity="error">{error}</Alert>}
          {codes && (
            <>
              <Alert severity="success">Keep these recovery codes somewhere safe: each works once, and they are not shown again.</Alert>
              <Box component="pre" data-testid="recovery-codes" sx={{ m: 0 }}>
                {codes.join('\n')}
              </Box>
            </>
          )}
          {factors && (
            <Typography variant="body2">
              Authenticator app: {factors.totp ? 'set up' : 'not set up'} · recovery codes left: {factors.recovery_codes_left}
              {factors.required ? ' · a second factor is required for your role' : ''}
            </Typography>
          )}
          <List dense aria-label="Passkeys">
            {factors?.passkeys.map((p) => (
              <ListItem
                key={p.id}
                secondaryAction={
                  <IconButton edge="end" aria-label={`Remove passkey ${p.name}`} onClick={() => remove(p.id)}>
                    <DeleteIcon />
                  </IconButton>
                }
              >
                <ListItemIcon>
                  <KeyIcon />
                </ListItemIcon>
                <ListItemText primary={p.name} secondary={p.last_used_at ? `last used ${new Date(p.last_used_at).toLocaleString()}` : 'not used yet'} />
              </ListItem>
            ))}
            {factors && !factors.passkeys.length && <Typography variant="body2">No passkeys yet.</Typography>}
          </List>
          <Stack component="form" direction="row" spacing={1} onSubmit={add}>
            <TextField size="small" label="Passkey name" value={name} onChange={(e) => setName(e.target.value)} slotProps={{ htmlInput: { maxLength: 100 } }} />
            <Button type="submit" variant="contained">
              Add a passkey
            </Button>
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/** The user menu's entry to the operator's own sign-in factors. */
export const SignInSecurityMenuItem = forwardRef<HTMLLIElement>(function SignInSecurityMenuItem(_props, ref) {
  const [open, setOpen] = useState(false);
  const userMenu = useUserMenu();
  return (
    <>
      <MenuItem ref={ref} onClick={() => setOpen(true)}>
        <ListItemIcon>
          <KeyIcon fontSize="small" />
        </ListItemIcon>
        Sign-in security
      </MenuItem>
      {open && <SecurityDialog onClose={() => {
            setOpen(false);
            userMenu?.onClose();
          }} />}
    </>
  );
});
