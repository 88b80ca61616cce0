import { Alert, Button, Divider, Stack } from '@mui/material';
import { useEffect, useState } from 'react';
import { SSO_ERRORS, type SignInMethods, type SsoErrorCode } from '../../contract';
import { API_URL, httpClient } from './httpClient';

/** What the server offers (asked before anyone is signed in); password only until it answers. */
export function useSignInMethods(): SignInMethods | undefined {
  const [methods, setMethods] = useState<SignInMethods>();
  useEffect(() => {
    httpClient(`${API_URL}/auth/sso`).then(
      ({ json }) => setMethods(json as SignInMethods),
      () => setMethods({ password: true, sso: null }),
    );
  }, []);
  return methods;
}

/**
 * Why the last single sign-on came back without a session. The code comes from the URL, so only
 * a known code is shown, as the contract's sentence: nothing from the URL reaches the page.
 */
function ssoError(): string | undefined {
  const code = new URLSearchParams(window.location.search).get('sso_error');
  return code && Object.hasOwn(SSO_ERRORS, code) ? SSO_ERRORS[code as SsoErrorCode] : undefined;
}

/** "Sign in with <provider>": a plain navigation, since the provider's pages are not ours to fetch. */
export function SingleSignOn({ sso, divider }: { sso: NonNullable<SignInMethods['sso']>; divider: boolean }) {
  const error = ssoError();
  return (
    <Stack spacing={2} sx={{ px: 2, pb: 2, pt: 2 }}>
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      <Button variant="contained" href={sso.startUrl}>
        Sign in with {sso.name}
      </Button>
      {divider && <Divider>or</Divider>}
    </Stack>
  );
}
