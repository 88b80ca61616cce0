import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config/env';
import { emailDomainAllowed, mappedRole, readSignInConfig } from '../../src/config/oidc';

const base = { OIDC_ISSUER: 'https://idp.example.com', OIDC_CLIENT_ID: 'opsroom', OIDC_CLIENT_SECRET: 's3cret', OIDC_ALLOWED_DOMAINS: 'example.com', OIDC_ROLE_MAP: 'ops-admins=admin,ops=support' };

/** The message readConfig stops the boot with: one line, naming the variable. */
const bootError = (env: Record<string, string>) => {
  try {
    readConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('single sign-on configuration', () => {
  it('is off without OIDC_ISSUER, and password sign-in cannot be turned off then', () => {
    expect(readSignInConfig({})).toEqual({ passwordLogin: true });
    expect(bootError({ PASSWORD_LOGIN: 'false' })).toMatch(/^PASSWORD_LOGIN=false needs single sign-on/);
    expect(bootError({ OIDC_CLIENT_ID: 'x' })).toMatch(/^OIDC_CLIENT_ID is set but OIDC_ISSUER is not/);
  });

  it.each([
    [{ OIDC_ISSUER: 'not a url' }, /^OIDC_ISSUER is not a URL/],
    [{ OIDC_ISSUER: 'http://idp.example.com' }, /^OIDC_ISSUER must use https/],
    [{ OIDC_CLIENT_ID: '' }, /^OIDC_CLIENT_ID is required/],
    [{ OIDC_CLIENT_SECRET: ' ' }, /^OIDC_CLIENT_SECRET is required/],
    [{ OIDC_ALLOWED_DOMAINS: '' }, /^OIDC_ALLOWED_DOMAINS is required/],
    [{ OIDC_ALLOWED_DOMAINS: 'example.com,*' }, /^OIDC_ALLOWED_DOMAINS: "\*" is not a domain/],
    [{ OIDC_ROLE_MAP: 'ops-admins=owner' }, /^OIDC_ROLE_MAP: "ops-admins=owner" is not group=role/],
    [{ OIDC_ROLE_MAP: '' }, /^OIDC_ROLE_MAP is required/],
    [{ OIDC_SCOPES: 'email profile' }, /^OIDC_SCOPES must include openid/],
    [{ PASSWORD_LOGIN: 'no' }, /^PASSWORD_LOGIN must be true or false/],
  ])('a mistake stops the boot with one line: %j', (change, message) => {
    const text = bootError({ ...base, ...change });
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('reads a full set-up; http is accepted for a provider on this machine only', () => {
    const { oidc, passwordLogin } = readSignInConfig({ ...base, PASSWORD_LOGIN: 'false', OIDC_ALLOWED_DOMAINS: ' Example.com, @eu.example.com ' });
    expect(passwordLogin).toBe(false);
    expect(oidc).toMatchObject({ providerName: 'idp.example.com', allowedDomains: ['example.com', 'eu.example.com'], roleClaim: 'groups', scopes: 'openid email profile' });
    expect(readSignInConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc?.issuer.href).toBe('http://127.0.0.1:4000/');
  });

  it('maps groups to the highest role, and matches email domains exactly', () => {
    const { oidc } = readSignInConfig(base);
    expect(mappedRole(oidc!, ['staff', 'ops', 'ops-admins'])).toBe('admin');
    expect(mappedRole(oidc!, 'ops')).toBe('support');
    expect(mappedRole(oidc!, ['OPS-ADMINS', 'staff'])).toBeUndefined();
    expect(mappedRole(oidc!, { ops: true })).toBeUndefined();
    expect(emailDomainAllowed(oidc!, 'a@example.com')).toBe(true);
    expect(emailDomainAllowed(oidc!, 'a@EXAMPLE.com')).toBe(true);
    expect(emailDomainAllowed(oidc!, 'a@evil-example.com')).toBe(false);
    expect(emailDomainAllowed(oidc!, 'a@sub.example.com')).toBe(false);
    expect(emailDomainAllowed(oidc!, 'a@example.com.evil.test')).toBe(false);
  });
});
