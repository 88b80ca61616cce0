import { beforeAll, describe, expect, it } from 'vitest';
import { runStack, type StackRun } from './mocks';
import { guardrailTests } from './stack-checks';

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

  it('dev database still takes a final snapshot but can be deleted', () => {
    const [db] = database();
    expect(db.inputs.skipFinalSnapshot).toBe(false);
    expect(db.inputs.finalSnapshotIdentifier).toMatch(/final$/);
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

  it('the master password and DATABASE_URL are registered as Pulumi secrets', () => {
    const [db] = database();
    expect(db.secretInputs.join()).toContain('MockRdsMasterPassword');
    const urlVersion = run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((v) => v.name.endsWith('database-url'))!;
    expect(urlVersion.secretInputs.join()).toContain('postgresql://opsroom:');
    expect(urlVersion.inputs.secretString).toMatch(/@opsroom-dev\.cmock\.us-east-1\.rds\.amazonaws\.com:5432\/opsroom\?sslmode=require$/);
  });

  it('dev runs one task with no read replica', () => {
    expect(run.ofType('aws:ecs/service:Service')[0].inputs.desiredCount).toBe(1);
    expect(database()).toHaveLength(1);
    expect(run.outputs.databaseReadUrlSecretArn).toBeUndefined();
  });

  it('the service leaves task definition rollouts to the deploy workflow', () => {
    expect(run.ofType('aws:ecs/service:Service')[0].ignoreChanges).toEqual(['desiredCount', 'taskDefinition']);
  });

  it('dev serves plain HTTP on the load balancer DNS name', () => {
    expect(run.ofType('aws:lb/listener:Listener').map((l) => l.inputs.port)).toEqual([80]);
    expect(run.outputs.url.value).toBe('http://opsroom-dev-123.us-east-1.elb.amazonaws.com');
  });
});
