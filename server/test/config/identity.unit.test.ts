import { describe, expect, it } from 'vitest';
import { readIdentityConfig } from '../../src/config/identity';

describe('identity settings', () => {
  it('passkeys follow the request when WEBAUTHN_ORIGIN is unset, and the configured origin when set', () => {
    expect(readIdentityConfig({}).webauthn).toEqual({ origins: undefined, rpId: undefined });
    expect(readIdentityConfig({ WEBAUTHN_ORIGIN: 'https://ops.example.com/' }).webauthn).toEqual({ origins: ['https://ops.example.com'], rpId: 'ops.example.com' });
    expect(readIdentityConfig({ WEBAUTHN_ORIGIN: 'https://ops.example.com,https://admin.example.com', WEBAUTHN_RP_ID: 'Example.com' }).webauthn).toEqual({
      origins: ['https://ops.example.com', 'https://admin.example.com'],
      rpId: 'example.com',
    });
  });

  it('a WebAuthn setting that cannot work stops the boot with a line naming the variable', () => {
    expect(() => readIdentityConfig({ WEBAUTHN_ORIGIN: 'ops.example.com' })).toThrow(/WEBAUTHN_ORIGIN must be the console's origin/);
    expect(() => readIdentityConfig({ WEBAUTHN_ORIGIN: 'https://ops.example.com/console' })).toThrow(/without a path/);
    expect(() => readIdentityConfig({ WEBAUTHN_RP_ID: 'example.com' })).toThrow(/WEBAUTHN_RP_ID needs WEBAUTHN_ORIGIN/);
    expect(() => readIdentityConfig({ WEBAUTHN_ORIGIN: 'https://ops.example.com', WEBAUTHN_RP_ID: 'other.com' })).toThrow(/must be ops.example.com or a parent domain/);
    expect(() => readIdentityConfig({ WEBAUTHN_ORIGIN: 'https://ops.example.com', WEBAUTHN_RP_ID: 'ample.com' })).toThrow(/parent domain/);
  });
});
