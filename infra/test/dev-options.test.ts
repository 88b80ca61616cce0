import { beforeAll, describe, expect, it } from 'vitest';
import { runStack, type StackRun } from './mocks';

// The optional edge settings a dev stack may turn on: who may reach the ALB, an identity provider
// in front of the console, a stricter login rate.
let run: StackRun;
beforeAll(async () => {
  run = await runStack('dev', {
    'opsroom:allowedCidrs': '["203.0.113.0/24","2001:db8::/32"]',
    'opsroom:oidc': JSON.stringify({
      issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/authorize',
      tokenEndpoint: 'https://idp.example.com/token', userInfoEndpoint: 'https://idp.example.com/userinfo', clientId: 'opsroom',
    }),
    'opsroom:oidcClientSecret': 'oidc-client-secret-7f3a',
    'opsroom:loginRateLimit': '20',
  });
});

describe('dev stack with allowedCidrs, OIDC and a login rate limit', () => {
  it('the ALB admits 80/443 only from the allowed networks, IPv4 and IPv6 apart', () => {
    const alb = run.ofType('aws:ec2/securityGroup:SecurityGroup').find((g) => g.name.endsWith('-alb'))!;
    for (const rule of alb.inputs.ingress) {
      expect(rule).toMatchObject({ cidrBlocks: ['203.0.113.0/24'], ipv6CidrBlocks: ['2001:db8::/32'] });
    }
  });

  it('the serving listener authenticates with the identity provider before forwarding', () => {
    const [listener] = run.ofType('aws:lb/listener:Listener');
    expect(listener.inputs.defaultActions.map((a: { type: string; order: number }) => [a.order, a.type])).toEqual([[1, 'authenticate-oidc'], [2, 'forward']]);
    expect(listener.inputs.defaultActions[0].authenticateOidc).toMatchObject({ clientId: 'opsroom', issuer: 'https://idp.example.com', onUnauthenticatedRequest: 'authenticate' });
    expect(listener.secretInputs.join()).toContain('oidc-client-secret-7f3a');
  });

  it('the WAF rule uses the configured login rate', () => {
    expect(run.ofType('aws:wafv2/webAcl:WebAcl')[0].inputs.rules[0].statement.rateBasedStatement.limit).toBe(20);
  });
});
