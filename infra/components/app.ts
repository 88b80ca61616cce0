import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** A Secrets Manager secret for ECS to inject: its ARN, or one JSON key of it (`valueFrom: <arn>:<key>::`). */
export type SecretRef = pulumi.Input<string> | { arn: pulumi.Input<string>; jsonKey: string };

const secretArn = (ref: SecretRef) => (typeof ref === 'object' && 'jsonKey' in ref ? ref.arn : ref);
const valueFrom = (ref: SecretRef): pulumi.Output<string> =>
  typeof ref === 'object' && 'jsonKey' in ref ? pulumi.interpolate`${ref.arn}:${ref.jsonKey}::` : pulumi.output(ref);

export interface AppArgs {
  /** Subnets for the tasks (no public IPs). */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  appSecurityGroupId: pulumi.Input<string>;
  /** The load balancer's target group the service registers its tasks in. */
  targetGroupArn: pulumi.Input<string>;
  /** Listeners that must exist before the service attaches to the target group. */
  listeners: pulumi.Resource[];
  /** Environment variable name → secret, injected by ECS at task start. */
  secretArns: Record<string, SecretRef>;
  /**
   * Secrets only the one-off ops task gets (migrations, admin:create), never the serving tasks;
   * a name also in `secretArns` (DATABASE_URL: the migrator's) replaces it there. Default: none.
   */
  opsSecretArns?: Record<string, SecretRef>;
  /** Plain environment variables only the ops task gets. Default: none. */
  opsEnvironment?: Record<string, string>;
  /** Production: the ECR repository keeps its images on `pulumi destroy`. Default: false. */
  production?: boolean;
  /** The ALB serves plain HTTP (throwaway dev stack): the app must then answer HTTP too. Default: false. */
  allowInsecureHttp?: boolean;
  /** Value of `ENVIRONMENT` in the container. Default: the stack name. */
  environment?: string;
  /**
   * Image tag to run from the ECR repository. Default: none, and then the service is created with
   * zero tasks: a first `pulumi up` happens before any image exists, and a task on a missing image
   * would trip the circuit breaker. The deploy workflow sets it to the commit it pushed.
   */
  imageTag?: string;
  /** Port the server listens on. Default: 3000. */
  port?: number;
  /** Fargate CPU units. Default: 512. */
  cpu?: number;
  /** Fargate memory in MiB. Default: 1024. */
  memory?: number;
  /** Tasks to run (and the autoscaling floor). Default: 1. */
  desiredCount?: number;
  /** Autoscaling ceiling. Default: `max(desiredCount, 2)`. */
  maxCount?: number;
  /** Average CPU the autoscaler aims for, in percent. Default: 60. */
  cpuTargetPercent?: number;
  /** CloudWatch log retention in days. Default: 30. */
  logRetentionDays?: number;
  /** Tags for every resource. Default: none. */
  tags?: Record<string, string>;
}

/**
 * The opsroom container (API + console) on ECS Fargate behind an internet-facing ALB, with
 * CPU autoscaling. Any task serves any operator: sessions live in the database.
 */
export class App extends pulumi.ComponentResource {
  readonly ecrRepositoryUrl: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  /** Same image and network as the service, for one-off tasks: migrations and the first operator. */
  readonly opsTaskDefinitionArn: pulumi.Output<string>;
  /** What the service runs once an image exists; the deploy workflow scales up to it. */
  readonly desiredCount: number;

  constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:app:App', name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags ?? {};
    const port = args.port ?? 3000;
    const desiredCount = args.desiredCount ?? 1;
    const production = args.production ?? false;

    const repo = new aws.ecr.Repository(name, {
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'MUTABLE',
      // Outside production `pulumi destroy` must not stop at a repository that holds images.
      forceDelete: !production,
      tags,
    }, parent);
    new aws.ecr.LifecyclePolicy(name, {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [{
          rulePriority: 1,
          description: 'keep the last 30 images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
          action: { type: 'expire' },
        }],
      }),
    }, parent);

    const logs = new aws.cloudwatch.LogGroup(name, {
      namePrefix: `/opsroom/${name}-`,
      retentionInDays: args.logRetentionDays ?? 30,
      tags,
    }, parent);

    const opsSecretArns = args.opsSecretArns ?? {};
    const { executionRole, taskRole } = this.roles(name, repo, logs, [...Object.values(args.secretArns), ...Object.values(opsSecretArns)].map(secretArn), tags);

    const cluster = new aws.ecs.Cluster(name, {
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      tags,
    }, parent);

    const region = aws.getRegionOutput({}, parent).region;
    const image = pulumi.interpolate`${repo.repositoryUrl}:${args.imageTag ?? 'none-pushed-yet'}`;
    const container = (secretArns: Record<string, SecretRef>, extra: { name: string; value: string }[], command?: string[]) => {
      const refs = pulumi.all(Object.fromEntries(Object.entries(secretArns).map(([envName, ref]) => [envName, valueFrom(ref)])));
      return pulumi.all([image, logs.name, region, refs]).apply(([imageRef, logGroup, awsRegion, arns]) => JSON.stringify([{
        name: 'opsroom',
        image: imageRef,
        essential: true,
        ...(command ? { command } : {}),
        portMappings: [{ containerPort: port, protocol: 'tcp' }],
        environment: [
          { name: 'PORT', value: String(port) },
          { name: 'NODE_ENV', value: 'production' },
          { name: 'ENVIRONMENT', value: args.environment ?? pulumi.getStack() },
          // One hop: the ALB is the only proxy in front of the tasks.
          { name: 'TRUST_PROXY', value: '1' },
          ...(args.allowInsecureHttp ? [{ name: 'ALLOW_INSECURE_HTTP', value: '1' }] : []),
          ...extra,
        ],
        secrets: Object.entries(arns).map(([envName, arn]) => ({ name: envName, valueFrom: arn })),
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': logGroup, 'awslogs-region': awsRegion, 'awslogs-stream-prefix': 'opsroom' },
        },
        readonlyRootFilesystem: false,
      }]));
    };

    const taskDefinitionArgs = {
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(args.cpu ?? 512),
      memory: String(args.memory ?? 1024),
      // The Dockerfile and the deploy workflow build linux/amd64, whatever the builder's CPU.
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      // Old revisions stay registered, so a rollback can point the service back at one.
      skipDestroy: true,
      tags,
    };
    const taskDefinition = new aws.ecs.TaskDefinition(name, {
      ...taskDefinitionArgs,
      family: `opsroom-${pulumi.getStack()}`,
      // Only the ops task migrates: serving tasks connect as the app role, which may not run DDL,
      // and a long migration at boot would outlast the health-check grace period anyway.
      containerDefinitions: container(args.secretArns, [{ name: 'MIGRATE_ON_START', value: 'false' }]),
    }, parent);
    const opsTaskDefinition = new aws.ecs.TaskDefinition(`${name}-ops`, {
      ...taskDefinitionArgs,
      family: `opsroom-${pulumi.getStack()}-ops`,
      containerDefinitions: container(
        { ...args.secretArns, ...opsSecretArns },
        [{ name: 'MIGRATE_ON_START', value: 'false' }, ...Object.entries(args.opsEnvironment ?? {}).map(([envName, value]) => ({ name: envName, value }))],
        ['npm', 'run', 'db:migrate'],
      ),
    }, parent);

    const service = new aws.ecs.Service(name, {
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      launchType: 'FARGATE',
      desiredCount: args.imageTag ? desiredCount : 0,
      // Spreads tasks back over AZs after an AZ recovers, so one AZ outage never leaves all tasks in one place.
      availabilityZoneRebalancing: 'ENABLED',
      networkConfiguration: {
        subnets: args.privateSubnetIds,
        securityGroups: [args.appSecurityGroupId],
        assignPublicIp: false,
      },
      loadBalancers: [{ targetGroupArn: args.targetGroupArn, containerName: 'opsroom', containerPort: port }],
      healthCheckGracePeriodSeconds: 60,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      propagateTags: 'SERVICE',
      tags,
    }, {
      ...parent,
      dependsOn: args.listeners,
      // The autoscaler owns the running count once the service exists. New task definition
      // revisions are rolled out by the deploy workflow after migrations, not by `pulumi up`,
      // so nothing runs new code against an unmigrated schema.
      ignoreChanges: ['desiredCount', 'taskDefinition'],
    });

    const scaling = new aws.appautoscaling.Target(name, {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
      minCapacity: args.imageTag ? desiredCount : 0,
      maxCapacity: Math.max(args.maxCount ?? 2, desiredCount),
    }, parent);
    new aws.appautoscaling.Policy(`${name}-cpu`, {
      policyType: 'TargetTrackingScaling',
      serviceNamespace: scaling.serviceNamespace,
      scalableDimension: scaling.scalableDimension,
      resourceId: scaling.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        targetValue: args.cpuTargetPercent ?? 60,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    }, parent);

    this.ecrRepositoryUrl = repo.repositoryUrl;
    this.clusterName = cluster.name;
    this.serviceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.opsTaskDefinitionArn = opsTaskDefinition.arn;
    this.desiredCount = desiredCount;
    this.registerOutputs({ serviceName: this.serviceName });
  }

  private roles(name: string, repo: aws.ecr.Repository, logs: aws.cloudwatch.LogGroup, secretArns: pulumi.Input<string>[], tags: Record<string, string>) {
    const assume = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    // ECS itself uses the execution role: pull this one image, write this one log group, and
    // read exactly the app's secrets — nothing account-wide beyond the ECR auth token.
    const executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assume, tags }, { parent: this });
    new aws.iam.RolePolicy(`${name}-execution`, {
      role: executionRole.id,
      policy: pulumi.jsonStringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
          { Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: repo.arn },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: pulumi.interpolate`${logs.arn}:*` },
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secretArns },
        ],
      }),
    }, { parent: this });
    // The app's own code calls no AWS API, so its role grants nothing.
    const taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assume, tags }, { parent: this });
    return { executionRole, taskRole };
  }
}
