import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { startMocks, type RecordedResource } from './mocks';
import { mandatoryViolations } from './policy-harness';

// Resources nobody in the program would write on purpose, registered through the same mocks,
// to prove the rules catch a new resource rather than only re-checking the known ones.
let resources: RecordedResource[];
const violationsOf = (name: string) => mandatoryViolations(resources.filter((r) => r.name === name)).map((v) => v.message);

beforeAll(async () => {
  const recorder = await startMocks('dev');
  const prodTags = { 'opsroom:production': 'true' };
  const made = [
    new aws.ec2.SecurityGroup('oops-open-db', {
      vpcId: 'vpc-1',
      ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['0.0.0.0/0'] }],
    }),
    new aws.vpc.SecurityGroupIngressRule('oops-all-traffic', {
      securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0',
    }),
    new aws.ec2.SecurityGroup('oops-ssh', {
      vpcId: 'vpc-1',
      ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
    }),
    new aws.rds.Instance('oops-db', {
      instanceClass: 'db.t4g.micro', engine: 'postgres', publiclyAccessible: true, storageEncrypted: false,
      skipFinalSnapshot: true, backupRetentionPeriod: 1, tags: prodTags,
    }),
    new aws.ecs.TaskDefinition('oops-task', {
      family: 'oops',
      containerDefinitions: JSON.stringify([{ name: 'web', image: 'x', environment: [
        { name: 'DATABASE_URL', value: 'postgresql://u:hunter2@db/x' },
        { name: 'UPSTREAM', value: 'https://user:pass@example.com' },
      ] }]),
    }),
    new aws.lb.TargetGroup('oops-tg', { port: 3000, protocol: 'HTTP', healthCheck: { path: '/' } }),
    new aws.lb.LoadBalancer('oops-public-alb', { internal: false }),
  ];
  await Promise.all(made.map((r) => new Promise((done) => r.urn.apply(done))));
  await pulumi.runtime.disconnect();
  resources = recorder.resources();
});

describe('policy pack against deliberately bad resources', () => {
  it('a security group opening 5432 to the internet is caught', () => {
    expect(violationsOf('oops-open-db')).toContain('ingress opens database port 5432 to the internet');
  });

  it('an all-traffic ingress rule from the internet is caught as opening a database port', () => {
    expect(violationsOf('oops-all-traffic')).toEqual([expect.stringContaining('database port')]);
  });

  it('a public port other than 80/443 is caught', () => {
    expect(violationsOf('oops-ssh')).toEqual([expect.stringContaining('only the load balancer')]);
  });

  it('a public, unencrypted, unprotected production database is caught on every count', () => {
    expect(violationsOf('oops-db')).toEqual(expect.arrayContaining([
      'storageEncrypted must be true',
      'publiclyAccessible must be false',
      'backupRetentionPeriod must be at least 7 days',
      'deletionProtection must be true in production',
      expect.stringContaining('final snapshot'),
      expect.stringContaining('protect option'),
    ]));
  });

  it('secrets set as plain container environment values are caught', () => {
    expect(violationsOf('oops-task')).toEqual([
      expect.stringContaining('sets DATABASE_URL as a plain environment value'),
      expect.stringContaining('env UPSTREAM holds a URL with a password'),
    ]);
  });

  it('a health check off /healthz is caught', () => {
    expect(violationsOf('oops-tg')).toEqual(['health check path is /, expected /healthz']);
  });

  it('a second internet-facing load balancer is caught', () => {
    const stackWide = mandatoryViolations([...resources, { ...resources.find((r) => r.name === 'oops-public-alb')!, name: 'oops-second-public-alb' }]);
    expect(stackWide.filter((v) => v.policy === 'single-public-entry')).toHaveLength(1);
  });
});
