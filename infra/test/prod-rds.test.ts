import { beforeAll, describe, expect, it } from 'vitest';
import { arnOf, runStack, type StackRun } from './mocks';
import { containerOf, guardrailTests } from './stack-checks';

let run: StackRun;
beforeAll(async () => {
  run = await runStack('prod', { 'opsroom:domainName': 'ops.example.com', 'opsroom:hostedZoneId': 'Z0EXAMPLE', 'opsroom:imageTag': 'abc1234' });
});
const instances = () => run.ofType('aws:rds/instance:Instance');
const primary = () => instances().find((i) => !i.inputs.replicateSourceDb)!;
const replica = () => instances().find((i) => i.inputs.replicateSourceDb)!;

describe('prod stack on RDS', () => {
  guardrailTests(() => run);

  it('prod database has deletion protection and keeps a final snapshot', () => {
    expect(primary().inputs).toMatchObject({ deletionProtection: true, skipFinalSnapshot: false });
    expect(primary().inputs.finalSnapshotIdentifier).toBe('opsroom-prod-final-5eed1234');
  });

  it('prod database is protected from pulumi destroy', () => {
    expect(primary().protect).toBe(true);
  });

  it('prod database is Multi-AZ, encrypted, private and keeps 14 days of backups', () => {
    expect(primary().inputs).toMatchObject({ multiAz: true, storageEncrypted: true, publiclyAccessible: false, backupRetentionPeriod: 14 });
  });

  it('the read replica is encrypted, private and feeds DATABASE_READ_URL', () => {
    expect(replica().inputs).toMatchObject({ storageEncrypted: true, publiclyAccessible: false, replicateSourceDb: 'opsroom-prod' });
    expect(containerOf(run).secrets.map((s) => s.name)).toContain('DATABASE_READ_URL');
    const readUrl = run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((v) => v.name.endsWith('database-read-url'))!;
    expect(readUrl.inputs.secretString).toMatch(/^postgresql:\/\/opsroom_app:\w+@opsroom-prod-replica\.cmock\./);
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

  it('prod serves HTTPS with an ACM certificate validated in the hosted zone, and HTTP only redirects', () => {
    const listeners = run.ofType('aws:lb/listener:Listener');
    const https = listeners.find((l) => l.inputs.port === 443)!;
    const [cert] = run.ofType('aws:acm/certificate:Certificate');
    const [validation] = run.ofType('aws:acm/certificateValidation:CertificateValidation');
    expect(cert.inputs).toMatchObject({ domainName: 'ops.example.com', validationMethod: 'DNS' });
    const record = run.ofType('aws:route53/record:Record').find((r) => r.name.endsWith('-cert-validation'))!;
    expect(record.inputs).toMatchObject({ zoneId: 'Z0EXAMPLE', name: '_x1.ops.example.com.', type: 'CNAME', records: ['_x2.acm-validations.aws.'] });
    expect(validation.inputs).toMatchObject({ certificateArn: arnOf(cert), validationRecordFqdns: ['_x1.ops.example.com'] });
    expect(https.inputs).toMatchObject({ protocol: 'HTTPS', certificateArn: arnOf(cert) });
    expect(listeners.find((l) => l.inputs.port === 80)!.inputs.defaultActions).toEqual([
      { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
    ]);
    const alias = run.ofType('aws:route53/record:Record').find((r) => r.name.endsWith('-alias'))!;
    expect(alias.inputs).toMatchObject({ zoneId: 'Z0EXAMPLE', name: 'ops.example.com', type: 'A' });
    expect(run.outputs.url.value).toBe('https://ops.example.com');
    expect(containerOf(run).environment.map((e) => e.name)).not.toContain('ALLOW_INSECURE_HTTP');
  });

  it('in production tasks never migrate at boot and the image repository survives destroy', () => {
    expect(containerOf(run).environment).toContainEqual({ name: 'MIGRATE_ON_START', value: 'false' });
    expect(containerOf(run, { ops: true }).command).toEqual(['npm', 'run', 'db:migrate']);
    expect(run.ofType('aws:ecr/repository:Repository')[0].inputs.forceDelete).toBe(false);
  });

  it('prod keeps logs for 90 days', () => {
    expect(run.ofType('aws:cloudwatch/logGroup:LogGroup')[0].inputs.retentionInDays).toBe(90);
  });
});
