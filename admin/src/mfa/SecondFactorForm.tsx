import { Alert, Box, Button, Link, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useLogin, type HttpError } from 'react-admin';
import { API_URL, httpClient } from '../httpClient';
import { createPasskey, answerPasskey } from './passkeyCeremony';
import { setPendingStep, type PendingStep } from './pendingStep';

const fieldError = (err: unknown, field: string) => {
  const e = err as HttpError;
  return (e.body as { errors?: Record<string, string> })?.errors?.[field] ?? e.message ?? 'That did not work.';
};

/** The code (or a recovery code) after the password. */
function VerifyStep({ step }: { step: PendingStep }) {
  const login = useLogin();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const hasPasskey = step.mfa === 'verify' && step.methods.includes('passkey');
  const hasTotp = step.mfa === 'verify' && step.methods.includes('totp');
  const passkey = async () => {
    setError(undefined);
    try {
      await login({ challenge: step.challenge, passkey: await answerPasskey(step.challenge) });
    } catch (err) {
      setError(fieldError(err, 'passkey'));
    }
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await login(useRecovery ? { challenge: step.challenge, recovery_code: value } : { challenge: step.challenge, code: value });
    } catch (err) {
      setError(fieldError(err, useRecovery ? 'recovery_code' : 'code'));
    }
  };
  if (hasPasskey && !hasTotp && !useRecovery) {
    return (
      <Stack spacing={2}>
        <Typography>Confirm it is you with your passkey.</Typography>
        {error && <Alert severity="error">{error}</Alert>}
        <Button variant="contained" onClick={passkey}>
          Use a passkey
        </Button>
        <Link component="button" type="button" onClick={() => {
            setUseRecovery(true);
            setError(undefined);
          }}
        >
          Use a recovery code
        </Link>
      </Stack>
    );
  }
  return (
    <Stack component="form" onSubmit={submit} spacing={2}>
      {hasPasskey && !useRecovery && (
        <Button variant="outlined" onClick={passkey}>
          Use a passkey
        </Button>
      )}
      <Typography>{useRecovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code from your authenticator app.'}</Typography>
      <TextField
        label={useRecovery ? 'Recovery code' : 'Authentication code'}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
        autoComplete="one-time-code"
        error={!!error}
        helperText={error}
      />
      <Button type="submit" variant="contained">
        Verify
      </Button>
      <Link component="button" type="button" onClick={() => (setUseRecovery(!useRecovery), setValue(''), setError(undefined))}>
        {useRecovery ? (hasTotp ? 'Use the authenticator app' : 'Use a passkey') : 'Use a recovery code'}
      </Link>
    </Stack>
  );
}

/** Setting up an authenticator app before the first session, when REQUIRE_MFA_FOR covers this operator. */
function EnrolStep({ step }: { step: PendingStep }) {
  const login = useLogin();
  const [setup, setSetup] = useState<{ secret: string; otpauth_uri: string }>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ recovery_codes: string[] } & Record<string, unknown>>();
  const keep = (json: object) => setDone(json as { recovery_codes: string[] } & Record<string, unknown>);
  useEffect(() => {
    httpClient(`${API_URL}/auth/mfa/enrol/setup`, { method: 'POST', body: JSON.stringify({ challenge: step.challenge }) }).then(
      ({ json }) => setSetup(json),
      (err) => setError(fieldError(err, 'challenge')),
    );
  }, [step.challenge]);
  const withPasskey = async () => {
    setError(undefined);
    try {
      keep(await createPasskey({ challenge: step.challenge }));
    } catch (err) {
      setError(fieldError(err, 'passkey'));
    }
  };
  const confirm = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const { json } = await httpClient(`${API_URL}/auth/mfa/enrol/confirm`, { method: 'POST', body: JSON.stringify({ challenge: step.challenge, code }) });
      setDone(json);
    } catch (err) {
      setError(fieldError(err, 'code'));
    }
  };
  if (done) {
    return (
      <Stack spacing={2}>
        <Alert severity="success">Your second factor is set up. Keep these recovery codes somewhere safe: each works once, and they are not shown again.</Alert>
        <Box component="pre" data-testid="recovery-codes" sx={{ m: 0 }}>
          {done.recovery_codes.join('\n')}
        </Box>
        <Button variant="contained" onClick={() => login({ operator: done })}>
          Continue
        </Button>
      </Stack>
    );
  }
  return (
    <Stack component="form" onSubmit={confirm} spacing={2}>
      <Typography>Your account needs a second factor. Add this key to an authenticator app, then enter the code it shows.</Typography>
      {setup && (
        <>
          <Box component="code" data-testid="totp-secret" sx={{ wordBreak: 'break-all' }}>
            {setup.secret}
          </Box>
          <Link href={setup.otpauth_uri}>Open in an authenticator app</Link>
        </>
      )}
      <TextField label="Authentication code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="one-time-code" error={!!error} helperText={error} />
      <Button type="submit" variant="contained" disabled={!setup}>
        Confirm
      </Button>
      <Button variant="outlined" onClick={withPasskey}>
        Use a passkey instead
      </Button>
    </Stack>
  );
}

export function SecondFactorForm({ step }: { step: PendingStep }) {
  return (
    <Box sx={{ p: 2, width: 340 }}>
      {step.mfa === 'verify' ? <VerifyStep step={step} /> : <EnrolStep step={step} />}
      <Link component="button" type="button" sx={{ mt: 2 }} onClick={() => setPendingStep(undefined)}>
        Start over
      </Link>
    </Box>
  );
}
