import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AppArgs {
  vpcId: pulumi.Input<string>;
  /** Subnets for the load balancer. */
  publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Subnets for the tasks (no public IPs). */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  albSecurityGroupId: pulumi.Input<string>;
  appSecurityGroupId: pulumi.Input<string>;
  /** Environment variable name → Secrets Manager ARN, injected by ECS at task start. */
  secretArns: Record<string, pulumi.Input<string>>;
  /** Value of `ENVIRONMENT` in the container. Default: the stack name. */
  environment?: string;
  /** Image tag to run from the ECR repository. Default: `latest`. */
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
  /** ACM certificate: turns on HTTPS on 443 and redirects 80 to it. Default: HTTP only. */
  certificateArn?: string;
  /** Public host name pointed at the ALB (DNS is yours to set). Default: the ALB's DNS name. */
  domainName?: string;
  /** Tags for every resource. Default: none. */
  tags?: Record<string, string>;
}

/**
 * The opsroom container (API + console) on ECS Fargate behind an internet-facing ALB, with
 * CPU autoscaling. Any task serves any operator: sessions live in the database.
 */
export class App extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly ecrRepositoryUrl: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;

  constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:app:App', name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags ?? {};
    const port = args.port ?? 3000;
    const desiredCount = args.desiredCount ?? 1;

    const repo = new aws.ecr.Repository(name, {
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'MUTABLE',
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

    const { executionRole, taskRole } = this.roles(name, repo, logs, Object.values(args.secretArns), tags);

    const cluster = new aws.ecs.Cluster(name, {
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      tags,
    }, parent);

    const region = aws.getRegionOutput({}, parent).region;
    const containerDefinitions = pulumi
      .all([repo.repositoryUrl, logs.name, region, pulumi.output(args.secretArns)])
      .apply(([repositoryUrl, logGroup, awsRegion, secretArns]) => JSON.stringify([{
        name: 'opsroom',
        image: `${repositoryUrl}:${args.imageTag ?? 'latest'}`,
        essential: true,
        portMappings: [{ containerPort: port, protocol: 'tcp' }],
        environment: [
          { name: 'PORT', value: String(port) },
          { name: 'NODE_ENV', value: 'production' },
          { name: 'ENVIRONMENT', value: args.environment ?? pulumi.getStack() },
        ],
        secrets: Object.entries(secretArns).map(([envName, arn]) => ({ name: envName, valueFrom: arn })),
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': logGroup, 'awslogs-region': awsRegion, 'awslogs-stream-prefix': 'opsroom' },
        },
        readonlyRootFilesystem: false,
      }]));

    const taskDefinition = new aws.ecs.TaskDefinition(name, {
      family: `opsroom-${pulumi.getStack()}`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(args.cpu ?? 512),
      memory: String(args.memory ?? 1024),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions,
      tags,
    }, parent);

    const alb = new aws.lb.LoadBalancer(name, {
      loadBalancerType: 'application',
      internal: false,
      subnets: args.publicSubnetIds,
      securityGroups: [args.albSecurityGroupId],
      dropInvalidHeaderFields: true,
      tags,
    }, parent);

    const targetGroup = new aws.lb.TargetGroup(name, {
      vpcId: args.vpcId,
      targetType: 'ip',
      port,
      protocol: 'HTTP',
      deregistrationDelay: 30,
      healthCheck: {
        path: '/healthz',
        matcher: '200',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags,
    }, parent);

    const listeners = this.listeners(name, alb, targetGroup, args.certificateArn, tags);

    const service = new aws.ecs.Service(name, {
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      launchType: 'FARGATE',
      desiredCount,
      // Spreads tasks back over AZs after an AZ recovers, so one AZ outage never leaves all tasks in one place.
      availabilityZoneRebalancing: 'ENABLED',
      networkConfiguration: {
        subnets: args.privateSubnetIds,
        securityGroups: [args.appSecurityGroupId],
        assignPublicIp: false,
      },
      loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: 'opsroom', containerPort: port }],
      healthCheckGracePeriodSeconds: 60,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      propagateTags: 'SERVICE',
      tags,
    }, {
      ...parent,
      dependsOn: listeners,
      // The autoscaler owns the running count once the service exists. New task definition
      // revisions are rolled out by the deploy workflow after migrations, not by `pulumi up`,
      // so nothing runs new code against an unmigrated schema.
      ignoreChanges: ['desiredCount', 'taskDefinition'],
    });

    const scaling = new aws.appautoscaling.Target(name, {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
      minCapacity: desiredCount,
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

    const scheme = args.certificateArn ? 'https' : 'http';
    this.url = args.domainName ? pulumi.output(`${scheme}://${args.domainName}`) : pulumi.interpolate`${scheme}://${alb.dnsName}`;
    this.ecrRepositoryUrl = repo.repositoryUrl;
    this.clusterName = cluster.name;
    this.serviceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.loadBalancerDnsName = alb.dnsName;
    this.registerOutputs({ url: this.url });
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

  private listeners(name: string, alb: aws.lb.LoadBalancer, targetGroup: aws.lb.TargetGroup, certificateArn: string | undefined, tags: Record<string, string>) {
    const forward = [{ type: 'forward', targetGroupArn: targetGroup.arn }];
    if (!certificateArn) {
      return [new aws.lb.Listener(`${name}-http`, { loadBalancerArn: alb.arn, port: 80, protocol: 'HTTP', defaultActions: forward, tags }, { parent: this })];
    }
    return [
      new aws.lb.Listener(`${name}-https`, {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn,
        defaultActions: forward,
        tags,
      }, { parent: this }),
      new aws.lb.Listener(`${name}-http`, {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultActions: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
        tags,
      }, { parent: this }),
    ];
  }
}
