import { Login, LoginForm, PasswordInput, TextInput, email, required } from 'react-admin';
import { SecondFactorForm } from './mfa/SecondFactorForm';
import { usePendingStep } from './mfa/pendingStep';
import { SingleSignOn, useSignInMethods } from './SingleSignOn';

// The operator signs in with an email; react-admin's default form calls the field "username".
export function LoginPage() {
  const step = usePendingStep();
  const methods = useSignInMethods();
  if (step) return <Login>{<SecondFactorForm step={step} />}</Login>;
  const password = methods?.password !== false;
  return (
    <Login>
      {methods?.sso && <SingleSignOn sso={methods.sso} divider={password} />}
      {password && (
        <LoginForm>
          <TextInput source="email" label="Email" type="email" autoComplete="username" autoFocus validate={[required(), email()]} />
          <PasswordInput source="password" label="Password" autoComplete="current-password" validate={required()} />
        </LoginForm>
      )}
    </Login>
  );
}
