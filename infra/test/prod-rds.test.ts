import { beforeAll, describe, expect, it } from 'vitest';
import { runStack, type StackRun } from './mocks';
import { containerOf, guardrailTests } from './stack-checks';

let run: StackRun;
beforeAll(async () => {
  run = await runStack('prod');
});
const instances = () => run.ofType('aws:rds/instance:Instance');
const primary = () => instances().find((i) => !i.inputs.replicateSourceDb)!;
const replica = () => instances().find((i) => i.inputs.replicateSourceDb)!;

describe('prod stack on RDS', () => {
  guardrailTests(() => run);

  it('prod database has deletion protection and keeps a final snapshot', () => {
    expect(primary().inputs).toMatchObject({ deletionProtection: true, skipFinalSnapshot: false });
    expect(primary().inputs.finalSnapshotIdentifier).toBe('opsroom-prod-prod-final');
  });

  it('prod database and its password are protected from pulumi destroy', () => {
    expect(primary().protect).toBe(true);
    expect(run.ofType('random:index/randomPassword:RandomPassword')[0].protect).toBe(true);
  });

  it('prod database is Multi-AZ, encrypted, private and keeps 14 days of backups', () => {
    expect(primary().inputs).toMatchObject({ multiAz: true, storageEncrypted: true, publiclyAccessible: false, backupRetentionPeriod: 14 });
  });

  it('the read replica is encrypted, private and feeds DATABASE_READ_URL', () => {
    expect(replica().inputs).toMatchObject({ storageEncrypted: true, publiclyAccessible: false, replicateSourceDb: 'opsroom-prod' });
    expect(containerOf(run).secrets.map((s) => s.name)).toContain('DATABASE_READ_URL');
    const readUrl = run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((v) => v.name.endsWith('database-read-url'))!;
    expect(readUrl.inputs.secretString).toContain('@opsroom-prod-replica.cmock.');
    expect(run.outputs.databaseReadUrlSecretArn.value).toBeTruthy();
  });

  it('prod runs at least two tasks across AZs and scales out on CPU', () => {
    const [service] = run.ofType('aws:ecs/service:Service');
    expect(service.inputs.desiredCount).toBeGreaterThanOrEqual(2);
    expect(service.inputs.networkConfiguration.subnets).toHaveLength(2);
    expect(service.ignoreChanges).toContain('desiredCount');
    const [target] = run.ofType('aws:appautoscaling/target:Target');
    expect(target.inputs).toMatchObject({ minCapacity: 2, maxCapacity: 6, scalableDimension: 'ecs:service:DesiredCount' });
    const [policy] = run.ofType('aws:appautoscaling/policy:Policy');
    expect(policy.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType)
      .toBe('ECSServiceAverageCPUUtilization');
  });

  it('prod serves HTTPS with the configured certificate and redirects HTTP', () => {
    const listeners = run.ofType('aws:lb/listener:Listener');
    const https = listeners.find((l) => l.inputs.port === 443)!;
    expect(https.inputs.protocol).toBe('HTTPS');
    expect(https.inputs.certificateArn).toMatch(/^arn:aws:acm:/);
    expect(listeners.find((l) => l.inputs.port === 80)!.inputs.defaultActions[0].type).toBe('redirect');
    expect(run.outputs.url.value).toBe('https://ops.example.com');
  });

  it('prod keeps logs for 90 days', () => {
    expect(run.ofType('aws:cloudwatch/logGroup:LogGroup')[0].inputs.retentionInDays).toBe(90);
  });
});
