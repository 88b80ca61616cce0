import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arnOf, masterSecretArn, runStack, type StackRun } from './mocks';
import { containerOf, guardrailTests } from './stack-checks';

let run: StackRun;
beforeAll(async () => {
  run = await runStack('dev');
});
const database = () => run.ofType('aws:rds/instance:Instance');

describe('dev stack on RDS', () => {
  guardrailTests(() => run);

  it('dev database is encrypted, private and keeps 7 days of backups', () => {
    const [db] = database();
    expect(db.inputs).toMatchObject({ storageEncrypted: true, publiclyAccessible: false, backupRetentionPeriod: 7, multiAz: false });
  });

  it('dev database still takes a final snapshot, named uniquely, but can be deleted', () => {
    const [db] = database();
    expect(db.inputs.skipFinalSnapshot).toBe(false);
    const [suffix] = run.ofType('random:index/randomId:RandomId');
    expect(suffix.inputs.keepers).toMatchObject({ dbName: 'opsroom' });
    expect(db.inputs.finalSnapshotIdentifier).toBe('opsroom-dev-final-5eed1234');
    expect(db.inputs.deletionProtection).toBe(false);
    expect(db.protect).toBe(false);
  });

  it('the database pins the Postgres major version and ignores minor upgrades in diffs', () => {
    const [db] = database();
    expect(db.inputs).toMatchObject({ engine: 'postgres', engineVersion: '17', autoMinorVersionUpgrade: true });
    expect(db.ignoreChanges).toContain('engineVersion');
  });

  it('the database admits 5432 only from the app security group', () => {
    const dbGroup = run.ofType('aws:ec2/securityGroup:SecurityGroup').find((g) => g.name.endsWith('-db'))!;
    const appGroup = run.ofType('aws:ec2/securityGroup:SecurityGroup').find((g) => g.name.endsWith('-app'))!;
    expect(dbGroup.inputs.ingress).toEqual([
      expect.objectContaining({ fromPort: 5432, toPort: 5432, securityGroups: [`${appGroup.name}-id`] }),
    ]);
    expect(dbGroup.inputs.ingress[0].cidrBlocks ?? []).toEqual([]);
  });

  it('RDS manages the master password (none in the program or its state); the app role\'s URL is a Pulumi secret', () => {
    const [db] = database();
    expect(db.inputs).toMatchObject({ manageMasterUserPassword: true, username: 'opsroom' });
    expect(db.inputs.password).toBeUndefined();
    expect(run.ofType('random:index/randomPassword:RandomPassword').map((p) => p.name).sort()).toEqual(['opsroom-dev-app-db', 'opsroom-dev-initial-admin']);
    const urlVersion = run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((v) => v.name === 'opsroom-dev-database-url')!;
    expect(urlVersion.secretInputs.join()).toContain('postgresql://opsroom_app:');
    expect(urlVersion.inputs.secretString).toMatch(/@opsroom-dev\.cmock\.us-east-1\.rds\.amazonaws\.com:5432\/opsroom\?sslmode=require$/);
    expect(run.outputs.databaseMasterSecretArn.value).toBe(masterSecretArn('opsroom-dev'));
  });

  it('before any image is pushed the service runs no task, and says how many it will run', () => {
    expect(run.ofType('aws:ecs/service:Service')[0].inputs.desiredCount).toBe(0);
    expect(run.ofType('aws:appautoscaling/target:Target')[0].inputs.minCapacity).toBe(0);
    expect(run.outputs.desiredCount.value).toBe(1);
  });

  it('dev has no read replica', () => {
    expect(database()).toHaveLength(1);
    expect(run.outputs.databaseReadUrlSecretArn.value).toBeNull();
  });

  it('the database has Performance Insights and exports its logs to CloudWatch', () => {
    expect(database()[0].inputs).toMatchObject({ performanceInsightsEnabled: true, enabledCloudwatchLogsExports: ['postgresql', 'upgrade'] });
  });

  it('outside production destroy removes the image repository with its images', () => {
    expect(run.ofType('aws:ecr/repository:Repository')[0].inputs.forceDelete).toBe(true);
  });

  it('the image is built for the architecture the tasks run on, whatever CPU builds it', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const stages = dockerfile.split('\n').filter((l) => /^FROM\s/i.test(l));
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(stage).toMatch(/^FROM --platform=linux\/amd64 node:24[-\w]* /);
    for (const task of run.ofType('aws:ecs/taskDefinition:TaskDefinition')) {
      expect(task.inputs.runtimePlatform).toEqual({ operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' });
    }
  });

  it('task definition revisions are kept on replacement so a rollback has something to roll to', () => {
    expect(run.ofType('aws:ecs/taskDefinition:TaskDefinition').map((t) => t.inputs.skipDestroy)).toEqual([true, true]);
  });

  it('subnets are cut from the configured VPC range', async () => {
    const other = await import('../components/network');
    expect(other.subnetCidr('10.40.0.0/16', 8)).toBe('10.40.128.0/20');
    expect(other.subnetCidr('172.16.32.0/20', 9)).toBe('172.16.41.0/24');
    expect(run.ofType('aws:ec2/subnet:Subnet').map((s) => s.inputs.cidrBlock).sort())
      .toEqual(['10.40.0.0/20', '10.40.128.0/20', '10.40.144.0/20', '10.40.16.0/20']);
  });

  it('the service leaves task definition rollouts to the deploy workflow', () => {
    expect(run.ofType('aws:ecs/service:Service')[0].ignoreChanges).toEqual(['desiredCount', 'taskDefinition']);
  });

  it('dev, which set allowInsecureHttp, serves plain HTTP on the load balancer DNS name, tagged as such', () => {
    const listeners = run.ofType('aws:lb/listener:Listener');
    expect(listeners.map((l) => l.inputs.port)).toEqual([80]);
    expect(listeners[0].inputs.tags['opsroom:allowInsecureHttp']).toBe('true');
    // The app refuses plain HTTP in production mode unless told otherwise.
    expect(containerOf(run).environment).toContainEqual({ name: 'ALLOW_INSECURE_HTTP', value: '1' });
    expect(run.outputs.url.value).toBe('http://opsroom-dev-123.us-east-1.elb.amazonaws.com');
  });

  it('the ALB admits only the configured networks when allowedCidrs is set', async () => {
    expect(run.ofType('aws:ec2/securityGroup:SecurityGroup').find((g) => g.name.endsWith('-alb'))!.inputs.ingress[0])
      .toMatchObject({ cidrBlocks: ['0.0.0.0/0'], ipv6CidrBlocks: ['::/0'] });
  });

  it('a WAF rate rule guards the login route on the load balancer', () => {
    const [acl] = run.ofType('aws:wafv2/webAcl:WebAcl');
    const rule = acl.inputs.rules[0].statement.rateBasedStatement;
    expect(rule).toMatchObject({ limit: 100, aggregateKeyType: 'IP' });
    expect(rule.scopeDownStatement.byteMatchStatement.searchString).toBe('/api/auth/login');
    const [association] = run.ofType('aws:wafv2/webAclAssociation:WebAclAssociation');
    expect(association.inputs.resourceArn).toBe(arnOf(run.ofType('aws:lb/loadBalancer:LoadBalancer')[0]));
  });
});
