import { expect, it } from 'vitest';
import { arnOf, idOf, masterSecretArn, type RecordedResource, type StackRun } from './mocks';
import { containerOf } from './stack-checks';

// Properties of the whole stack, followed through the ids and ARNs resources hand each other:
// who can reach what (routes, subnets, security groups), who may read which secret, and whether
// the pieces agree on the one port. Each one was broken on purpose once and seen to fail
// (infra/README.md, "What the tests guard").

interface Route { cidrBlock?: string; gatewayId?: string; natGatewayId?: string }
interface SgRule { protocol: string; fromPort: number; toPort: number; cidrBlocks?: string[]; securityGroups?: string[] }
interface Statement { Effect: string; Action: string[]; Resource: string | string[] }

const one = (run: StackRun, type: string, suffix = '') => {
  const found = run.ofType(type).filter((r) => r.name.endsWith(suffix));
  expect(found.map((r) => r.name), `${type} ending in "${suffix}"`).toHaveLength(1);
  return found[0];
};

/** The value a Secrets Manager ARN holds, from the secret version the program wrote into it. */
function secretValue(run: StackRun, arn: string): string {
  const secret = run.ofType('aws:secretsmanager/secret:Secret').find((s) => arnOf(s) === arn);
  expect(secret, `a secret the program created with ARN ${arn}`).toBeDefined();
  const version = run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((v) => v.inputs.secretId === idOf(secret!));
  return version!.inputs.secretString as string;
}

/** Subnet id → the default route of the route table associated with it. */
function defaultRoutes(run: StackRun): Map<string, Route | undefined> {
  const tables = new Map(run.ofType('aws:ec2/routeTable:RouteTable').map((t) => [idOf(t), t.inputs.routes as Route[]]));
  return new Map(run.ofType('aws:ec2/routeTableAssociation:RouteTableAssociation').map((a) =>
    [a.inputs.subnetId as string, tables.get(a.inputs.routeTableId)?.find((r) => r.cidrBlock === '0.0.0.0/0')]));
}

function subnetsById(run: StackRun): Map<string, RecordedResource> {
  return new Map(run.ofType('aws:ec2/subnet:Subnet').map((s) => [idOf(s), s]));
}

/** "public": default route to the internet gateway; "private": default route to a NAT gateway that sits in a public subnet. */
function tierOf(run: StackRun, subnetId: string): 'public' | 'private' | 'isolated' {
  const routes = defaultRoutes(run);
  const igw = idOf(one(run, 'aws:ec2/internetGateway:InternetGateway'));
  const route = routes.get(subnetId);
  if (route?.gatewayId === igw) return 'public';
  const nat = run.ofType('aws:ec2/natGateway:NatGateway').find((n) => idOf(n) === route?.natGatewayId);
  if (nat && routes.get(nat.inputs.subnetId)?.gatewayId === igw) return 'private';
  return 'isolated';
}

function azsOf(run: StackRun, subnetIds: string[]): Set<string> {
  const subnets = subnetsById(run);
  return new Set(subnetIds.map((id) => subnets.get(id)?.inputs.availabilityZone));
}

function executionStatements(run: StackRun): Statement[] {
  const policy = one(run, 'aws:iam/rolePolicy:RolePolicy', '-execution');
  const role = one(run, 'aws:iam/role:Role', '-execution');
  expect(policy.inputs.role).toBe(idOf(role));
  return (JSON.parse(policy.inputs.policy) as { Statement: Statement[] }).Statement
    .map((s) => ({ ...s, Action: ([] as string[]).concat(s.Action) }));
}

export function wiringTests(load: () => StackRun) {
  it('the load balancer sits in public subnets in two AZs', () => {
    const run = load();
    const subnets = one(run, 'aws:lb/loadBalancer:LoadBalancer').inputs.subnets as string[];
    expect(subnets.map((id) => tierOf(run, id))).toEqual(subnets.map(() => 'public'));
    expect(azsOf(run, subnets).size).toBeGreaterThanOrEqual(2);
  });

  it('tasks run in private subnets in two AZs that reach the internet only through NAT', () => {
    const run = load();
    const network = one(run, 'aws:ecs/service:Service').inputs.networkConfiguration;
    expect(network.assignPublicIp).toBe(false);
    expect((network.subnets as string[]).map((id) => tierOf(run, id))).toEqual(network.subnets.map(() => 'private'));
    expect(azsOf(run, network.subnets).size).toBeGreaterThanOrEqual(2);
  });

  it('one port from the load balancer to the container: target group, security groups, service, container', () => {
    const run = load();
    const port = containerOf(run).portMappings[0].containerPort;
    const targetGroup = one(run, 'aws:lb/targetGroup:TargetGroup');
    const service = one(run, 'aws:ecs/service:Service');
    const albSg = one(run, 'aws:ec2/securityGroup:SecurityGroup', '-alb');
    const appSg = one(run, 'aws:ec2/securityGroup:SecurityGroup', '-app');
    expect(targetGroup.inputs.port).toBe(port);
    expect(service.inputs.loadBalancers).toEqual([{ targetGroupArn: arnOf(targetGroup), containerName: 'opsroom', containerPort: port }]);
    expect(service.inputs.networkConfiguration.securityGroups).toEqual([idOf(appSg)]);
    expect(one(run, 'aws:lb/loadBalancer:LoadBalancer').inputs.securityGroups).toEqual([idOf(albSg)]);
    // The app admits the ALB, on that port, and nothing else.
    expect(appSg.inputs.ingress as SgRule[]).toEqual([expect.objectContaining({ fromPort: port, toPort: port, securityGroups: [idOf(albSg)] })]);
    // The ALB may send to that port inside the VPC (egress is what lets health checks and traffic out).
    const vpcCidr = one(run, 'aws:ec2/vpc:Vpc').inputs.cidrBlock;
    const egress = albSg.inputs.egress as SgRule[];
    expect(egress.some((r) => r.fromPort <= port && port <= r.toPort && (r.cidrBlocks ?? []).includes(vpcCidr))).toBe(true);
  });

  it('the listener that serves traffic forwards to the service\'s target group', () => {
    const run = load();
    const targetGroup = one(run, 'aws:lb/targetGroup:TargetGroup');
    const serving = run.ofType('aws:lb/listener:Listener').filter((l) =>
      (l.inputs.defaultActions as { type: string }[]).some((a) => a.type === 'forward'));
    expect(serving).toHaveLength(1);
    expect(serving[0].inputs.defaultActions).toContainEqual(expect.objectContaining({ type: 'forward', targetGroupArn: arnOf(targetGroup) }));
  });

  it('the execution role reads exactly the secrets the task definitions inject, and nothing is granted on *', () => {
    const run = load();
    const statements = executionStatements(run);
    // `<arn>:<json key>::` injects one key of a secret; IAM grants on the secret's ARN.
    const injected = [containerOf(run), containerOf(run, { ops: true })].flatMap((c) => c.secrets.map((s) => s.valueFrom.replace(/:\w+::$/, '')));
    const readable = statements.filter((s) => s.Action.includes('secretsmanager:GetSecretValue')).flatMap((s) => ([] as string[]).concat(s.Resource));
    expect([...new Set(readable)].sort()).toEqual([...new Set(injected)].sort());
    const wildcard = statements.filter((s) => ([] as string[]).concat(s.Resource).some((r) => r.includes('*') && !r.endsWith(':*')));
    expect(wildcard.flatMap((s) => s.Action)).toEqual(['ecr:GetAuthorizationToken']);
    for (const task of run.ofType('aws:ecs/taskDefinition:TaskDefinition')) {
      expect(task.inputs.executionRoleArn).toBe(arnOf(one(run, 'aws:iam/role:Role', '-execution')));
    }
  });

  it('serving tasks connect as the app role; only the ops task gets the migrator, and it creates the app role with that same password', () => {
    const run = load();
    const serving = containerOf(run);
    const ops = containerOf(run, { ops: true });
    const secret = (c: typeof serving, envName: string) => c.secrets.find((s) => s.name === envName)?.valueFrom;
    const appUrl = new URL(secretValue(run, secret(serving, 'DATABASE_URL')!));
    expect(appUrl.username).toBe('opsroom_app');
    expect(serving.secrets.map((s) => s.name)).not.toContain('PGPASSWORD');
    expect(serving.secrets.map((s) => s.name)).not.toContain('OPSROOM_APP_DB_PASSWORD');
    const migratorUrl = new URL(secretValue(run, secret(ops, 'DATABASE_URL')!));
    expect(migratorUrl.username).toBe('opsroom');
    expect(migratorUrl.host).toBe(appUrl.host);
    expect(migratorUrl.pathname).toBe(appUrl.pathname);
    expect(ops.environment).toContainEqual({ name: 'OPSROOM_APP_DB_USER', value: appUrl.username });
    expect(secretValue(run, secret(ops, 'OPSROOM_APP_DB_PASSWORD')!)).toBe(decodeURIComponent(appUrl.password));
    // Every task on AWS leaves migrations to the ops task: the app role could not run them.
    expect(serving.environment).toContainEqual({ name: 'MIGRATE_ON_START', value: 'false' });
    const [rds] = run.ofType('aws:rds/instance:Instance').filter((i) => !i.inputs.replicateSourceDb);
    if (rds) {
      // RDS holds and rotates the migrator's password; the URL carries none and ECS injects the current one.
      expect(rds.inputs).toMatchObject({ manageMasterUserPassword: true });
      expect(rds.inputs.password).toBeUndefined();
      expect(migratorUrl.password).toBe('');
      expect(secret(ops, 'PGPASSWORD')).toBe(`${masterSecretArn(rds.name)}:password::`);
    } else {
      expect(migratorUrl.password).not.toBe('');
    }
  });

  it('the app task role grants nothing', () => {
    const run = load();
    const taskRole = one(run, 'aws:iam/role:Role', '-task');
    const attached = [...run.ofType('aws:iam/rolePolicy:RolePolicy'), ...run.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')]
      .filter((p) => p.inputs.role === idOf(taskRole) || p.inputs.role === taskRole.name);
    expect(attached.map((p) => p.name)).toEqual([]);
  });

  it('a failed rollout rolls back and never drops below full capacity', () => {
    const service = one(load(), 'aws:ecs/service:Service');
    expect(service.inputs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(service.inputs.deploymentMinimumHealthyPercent).toBe(100);
    expect(service.inputs.deploymentMaximumPercent).toBeGreaterThan(100);
  });
}
