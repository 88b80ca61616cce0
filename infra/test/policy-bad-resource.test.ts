import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Diagnostic, type PolicyResource, type RunningPack, startPolicyPack } from './policyPack';

// Resources nobody in the program would write on purpose, sent to the pack as the engine sends
// them, to prove the rules catch a new resource rather than only re-checking the known ones.
let pack: RunningPack;
beforeAll(async () => {
  pack = await startPolicyPack();
}, 300_000);
afterAll(() => pack?.stop());

const prodTags = { 'opsroom:production': 'true' };
const mandatory = async (resource: PolicyResource) =>
  (await pack.analyze(resource)).filter((d: Diagnostic) => d.mandatory).map((d) => d.message);

describe('policy pack, served by run-policy-pack, against deliberately bad resources', () => {
  it('reports its name, its package.json version and every rule', async () => {
    const info = await pack.info();
    expect(info.getName()).toBe('opsroom');
    expect(info.getVersion()).toBe('0.1.0');
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(expect.arrayContaining([
      'no-public-database-port', 'database-encrypted-and-private', 'no-plaintext-secrets-in-containers',
      'https-only-public-listeners', 'single-public-entry',
    ]));
  });

  it('a security group opening 5432 to the internet is caught', async () => {
    expect(await mandatory({ type: 'aws:ec2/securityGroup:SecurityGroup', name: 'oops-open-db', properties: {
      vpcId: 'vpc-1', ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['0.0.0.0/0'] }],
    } })).toContain('ingress opens database port 5432 to the internet');
  });

  it('an all-traffic ingress rule from the internet is caught as opening a database port', async () => {
    expect(await mandatory({ type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name: 'oops-all', properties: {
      securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0',
    } })).toEqual([expect.stringContaining('database port')]);
  });

  it('a public port other than 80/443 is caught', async () => {
    expect(await mandatory({ type: 'aws:ec2/securityGroup:SecurityGroup', name: 'oops-ssh', properties: {
      vpcId: 'vpc-1', ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
    } })).toEqual([expect.stringContaining('only the load balancer')]);
  });

  it('a public, unencrypted, unprotected production database is caught on every count', async () => {
    expect(await mandatory({ type: 'aws:rds/instance:Instance', name: 'oops-db', properties: {
      instanceClass: 'db.t4g.micro', engine: 'postgres', publiclyAccessible: true, storageEncrypted: false,
      skipFinalSnapshot: true, backupRetentionPeriod: 1, tags: prodTags,
    } })).toEqual(expect.arrayContaining([
      'storageEncrypted must be true',
      'publiclyAccessible must be false',
      'backupRetentionPeriod must be at least 7 days',
      'deletionProtection must be true in production',
      expect.stringContaining('final snapshot'),
      expect.stringContaining('protect option'),
    ]));
  });

  it('the same production database with protect set passes the protect check', async () => {
    const messages = await mandatory({ type: 'aws:rds/instance:Instance', name: 'kept-db', protect: true, properties: {
      engine: 'postgres', publiclyAccessible: false, storageEncrypted: true, deletionProtection: true,
      skipFinalSnapshot: false, finalSnapshotIdentifier: 'kept-final', backupRetentionPeriod: 14, tags: prodTags,
    } });
    expect(messages).toEqual([]);
  });

  it('secrets set as plain container environment values are caught', async () => {
    expect(await mandatory({ type: 'aws:ecs/taskDefinition:TaskDefinition', name: 'oops-task', properties: {
      family: 'oops',
      containerDefinitions: JSON.stringify([{ name: 'web', image: 'x', environment: [
        { name: 'DATABASE_URL', value: 'postgresql://u:hunter2@db/x' },
        { name: 'UPSTREAM', value: 'https://user:pass@example.com' },
      ] }]),
    } })).toEqual([
      expect.stringContaining('sets DATABASE_URL as a plain environment value'),
      expect.stringContaining('env UPSTREAM holds a URL with a password'),
    ]);
  });

  it('a health check that reaches the database (anything but /livez) is caught', async () => {
    expect(await mandatory({ type: 'aws:lb/targetGroup:TargetGroup', name: 'oops-tg', properties: {
      port: 3000, protocol: 'HTTP', healthCheck: { path: '/readyz' },
    } })).toEqual(['health check path is /readyz, expected the shallow /livez']);
  });

  it('a public HTTP listener that forwards traffic is caught, a redirecting one is not', async () => {
    const listener = (name: string, defaultActions: unknown[], tags: Record<string, string> = {}) =>
      mandatory({ type: 'aws:lb/listener:Listener', name, properties: { port: 80, protocol: 'HTTP', defaultActions, tags } });
    expect(await listener('oops-http', [{ type: 'forward', targetGroupArn: 'arn:tg' }]))
      .toEqual([expect.stringContaining('serves traffic over plain HTTP')]);
    expect(await listener('redirect', [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }])).toEqual([]);
    expect(await listener('throwaway', [{ type: 'forward', targetGroupArn: 'arn:tg' }], { 'opsroom:allowInsecureHttp': 'true' })).toEqual([]);
  });

  it('a second internet-facing load balancer is caught across the stack', async () => {
    const alb = (name: string): PolicyResource => ({ type: 'aws:lb/loadBalancer:LoadBalancer', name, properties: { internal: false } });
    expect(await pack.analyzeStack([alb('one')])).toEqual([]);
    expect((await pack.analyzeStack([alb('one'), alb('two')])).map((d) => d.policy)).toEqual(['single-public-entry']);
  });
});
