import { describe, expect, it } from 'vitest';
import { readApprovalConfig, readIdentityConfig } from '../../src/config/identity';

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

describe('APPROVAL_*', () => {
  it('nothing waits for approval unless a threshold is set; amounts are read in major units', () => {
    expect(readApprovalConfig({})).toEqual({ creditsAbove: undefined, refundsAboveMinor: undefined, payoutsAboveMinor: undefined, roleChanges: false, keyRotation: false, expiresMs: 24 * 3600 * 1000 });
    expect(
      readApprovalConfig({ APPROVAL_CREDITS_ABOVE: '10000', APPROVAL_REFUNDS_ABOVE: '250.50', APPROVAL_PAYOUTS_ABOVE: '0', APPROVAL_ROLE_CHANGES: 'true', APPROVAL_KEY_ROTATION: 'on', APPROVAL_EXPIRES_HOURS: '4' }),
    ).toEqual({ creditsAbove: 10000, refundsAboveMinor: 25050, payoutsAboveMinor: 0, roleChanges: true, keyRotation: true, expiresMs: 4 * 3600 * 1000 });
  });

  it('a malformed value stops the server with one line naming the variable', () => {
    expect(() => readApprovalConfig({ APPROVAL_CREDITS_ABOVE: '10.5' })).toThrow(/APPROVAL_CREDITS_ABOVE must be a whole number of credits/);
    expect(() => readApprovalConfig({ APPROVAL_REFUNDS_ABOVE: '-1' })).toThrow(/APPROVAL_REFUNDS_ABOVE must be/);
    expect(() => readApprovalConfig({ APPROVAL_PAYOUTS_ABOVE: '1e9' })).toThrow(/APPROVAL_PAYOUTS_ABOVE must be/);
    expect(() => readApprovalConfig({ APPROVAL_ROLE_CHANGES: 'maybe' })).toThrow(/APPROVAL_ROLE_CHANGES must be true or false/);
    expect(() => readApprovalConfig({ APPROVAL_EXPIRES_HOURS: '0' })).toThrow(/APPROVAL_EXPIRES_HOURS must be a whole number of hours from 1 to 720/);
    expect(() => readApprovalConfig({ APPROVAL_EXPIRES_HOURS: '1.5' })).toThrow(/APPROVAL_EXPIRES_HOURS/);
  });
});
