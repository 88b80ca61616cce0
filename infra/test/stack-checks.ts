import { expect, it } from 'vitest';
import { arnOf, SECRET_VALUES, type StackRun } from './mocks';
import { wiringTests } from './wiring';

const SECURITY_GROUP = 'aws:ec2/securityGroup:SecurityGroup';

export const OUTPUTS_FOR_DEPLOY = [
  'url', 'ecrRepositoryUrl', 'clusterName', 'serviceName', 'desiredCount', 'taskDefinitionArn', 'opsTaskDefinitionArn',
  'privateSubnetIds', 'appSecurityGroupId', 'databaseEndpoint', 'databaseUrlSecretArn', 'initialAdminEmail',
];

export interface Container {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  command?: string[];
}

/** The serving container (`ops: true`: the one-off ops task's container). */
export function containerOf(run: StackRun, { ops = false } = {}): Container {
  const task = run.ofType('aws:ecs/taskDefinition:TaskDefinition').find((t) => t.name.endsWith('-ops') === ops)!;
  return JSON.parse(task.inputs.containerDefinitions)[0] as Container;
}

/**
 * The guardrails every stack config must pass, whatever its database or size. The policy pack's
 * own verdict on these stacks comes from the real pack in program-run.test.ts.
 */
export function guardrailTests(load: () => StackRun) {
  it('no secret value appears in a plain stack output', () => {
    const plain = Object.entries(load().outputs).filter(([, output]) => !output.secret);
    const leaks = plain.filter(([, output]) => SECRET_VALUES.some((s) => JSON.stringify(output.value).includes(s)));
    expect(leaks.map(([name]) => name)).toEqual([]);
  });

  it('no secret value appears in the container environment', () => {
    const run = load();
    const tasks = JSON.stringify(run.ofType('aws:ecs/taskDefinition:TaskDefinition').map((t) => t.inputs));
    expect(SECRET_VALUES.filter((s) => tasks.includes(s))).toEqual([]);
    const names = containerOf(run).environment.map((e) => e.name);
    expect(names.filter((n) => n !== 'ALLOW_INSECURE_HTTP').sort()).toEqual(['ENVIRONMENT', 'MIGRATE_ON_START', 'NODE_ENV', 'PORT', 'TRUST_PROXY']);
    expect(containerOf(run).environment).toContainEqual({ name: 'TRUST_PROXY', value: '1' });
  });

  it('the app secrets reach the container from Secrets Manager', () => {
    const run = load();
    const secretArns = run.ofType('aws:secretsmanager/secret:Secret').map(arnOf);
    const injected = containerOf(run).secrets;
    expect(injected.map((s) => s.name)).toEqual(expect.arrayContaining(['DATABASE_URL', 'OPSROOM_ENCRYPTION_KEY', 'SESSION_SECRET']));
    for (const secret of injected) expect(secretArns).toContain(secret.valueFrom);
  });

  it('the load balancer health check is the shallow /livez, which never touches the database', () => {
    const groups = load().ofType('aws:lb/targetGroup:TargetGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0].inputs.healthCheck.path).toBe('/livez');
  });

  it('the first operator comes from a generated secret only the ops task receives', () => {
    const run = load();
    const adminSecret = run.ofType('aws:secretsmanager/secret:Secret').find((s) => s.name.endsWith('opsroom-admin-password'))!;
    const ops = containerOf(run, { ops: true });
    expect(ops.secrets).toContainEqual({ name: 'OPSROOM_ADMIN_PASSWORD', valueFrom: arnOf(adminSecret) });
    expect(containerOf(run).secrets.map((s) => s.name)).not.toContain('OPSROOM_ADMIN_PASSWORD');
    expect(run.outputs.initialAdminPassword.secret).toBe(true);
    expect(ops.environment).toContainEqual({ name: 'MIGRATE_ON_START', value: 'false' });
  });

  it('the load balancer is the only public entry', () => {
    const run = load();
    const lbs = run.ofType('aws:lb/loadBalancer:LoadBalancer');
    expect(lbs.map((lb) => lb.inputs.internal)).toEqual([false]);
    const publicGroups = run.ofType(SECURITY_GROUP).filter((g) =>
      (g.inputs.ingress ?? []).some((rule: { cidrBlocks?: string[] }) => rule.cidrBlocks?.includes('0.0.0.0/0')));
    expect(publicGroups.map((g) => g.name)).toEqual([expect.stringMatching(/-alb$/)]);
    expect(lbs[0].inputs.securityGroups).toEqual([`${publicGroups[0].name}-id`]);
    const [service] = run.ofType('aws:ecs/service:Service');
    expect(service.inputs.networkConfiguration.assignPublicIp).toBe(false);
  });

  wiringTests(load);

  it('the stack exports the outputs the deploy workflow reads', () => {
    const outputs = load().outputs;
    for (const name of OUTPUTS_FOR_DEPLOY) expect(outputs[name]?.value, name).toBeTruthy();
  });
}
