import * as aws from '@pulumi/aws';
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from '@pulumi/policy';

// Plain rule objects, kept apart from the PolicyPack (constructing one starts a gRPC server),
// so the unit tests can feed them the inputs the mocks recorded.

const DATABASE_PORTS = [5432, 3306, 1433, 1521, 27017, 6379];
const PUBLIC_CIDRS = ['0.0.0.0/0', '::/0'];
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|API_KEY|ENCRYPTION_KEY|DATABASE(_READ)?_URL/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

interface Ingress {
  protocol?: string;
  fromPort?: number;
  toPort?: number;
  cidrBlocks?: string[];
  ipv6CidrBlocks?: string[];
}

function isPublic(rule: Ingress): boolean {
  return [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].some((cidr) => PUBLIC_CIDRS.includes(cidr));
}

/** Ports an ingress rule opens; protocol "-1" (all traffic) opens every port. */
function opens(rule: Ingress, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/** The three ways to write an ingress rule in @pulumi/aws, as one shape. */
const ingressRules = [
  validateResourceOfType(aws.ec2.SecurityGroup, (sg, _args, report) => checkIngress(sg.ingress ?? [], report)),
  validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, _args, report) => {
    if (rule.type === 'ingress') checkIngress([rule], report);
  }),
  validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, report) =>
    checkIngress([{
      protocol: rule.ipProtocol,
      fromPort: rule.fromPort,
      toPort: rule.toPort,
      cidrBlocks: rule.cidrIpv4 ? [rule.cidrIpv4] : [],
      ipv6CidrBlocks: rule.cidrIpv6 ? [rule.cidrIpv6] : [],
    }], report)),
];

function checkIngress(rules: Ingress[], report: (message: string) => void) {
  for (const rule of rules.filter(isPublic)) {
    const dbPort = DATABASE_PORTS.find((port) => opens(rule, port));
    if (dbPort) report(`ingress opens database port ${dbPort} to the internet`);
    else if (![80, 443].some((port) => rule.fromPort === port && rule.toPort === port)) {
      report(`ingress opens ports ${rule.fromPort}-${rule.toPort} to the internet; only the load balancer's 80/443 may be public`);
    }
  }
}

export const noPublicDatabasePort: ResourceValidationPolicy = {
  name: 'no-public-database-port',
  description: 'No security group rule opens a database port (or all ports) to 0.0.0.0/0 or ::/0.',
  enforcementLevel: 'mandatory',
  validateResource: ingressRules,
};

export const databaseEncryptedAndPrivate: ResourceValidationPolicy = {
  name: 'database-encrypted-and-private',
  description: 'RDS instances are storage-encrypted, not publicly accessible, and keep >= 7 days of backups.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
      if (db.storageEncrypted !== true) report('storageEncrypted must be true');
      if (db.publiclyAccessible === true) report('publiclyAccessible must be false');
      // Replicas take no backups of their own; the primary's cover them.
      if (!db.replicateSourceDb && (db.backupRetentionPeriod ?? 0) < 7) report('backupRetentionPeriod must be at least 7 days');
    }),
    validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
      if (cluster.storageEncrypted !== true) report('storageEncrypted must be true');
    }),
  ],
};

export const productionDatabaseProtected: ResourceValidationPolicy = {
  name: 'production-database-protected',
  description: 'On production stacks (tag opsroom:production=true) RDS has deletion protection, a final snapshot and Pulumi protect.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
    if (db.tags?.['opsroom:production'] !== 'true') return;
    if (db.deletionProtection !== true) report('deletionProtection must be true in production');
    if (db.replicateSourceDb) return;
    if (db.skipFinalSnapshot === true || !db.finalSnapshotIdentifier) report('a final snapshot must be taken (skipFinalSnapshot false and finalSnapshotIdentifier set)');
    if (!args.opts?.protect) report('the production database must have the Pulumi protect option');
  }),
};

export const noPlaintextSecretsInContainers: ResourceValidationPolicy = {
  name: 'no-plaintext-secrets-in-containers',
  description: 'Task definitions take secrets from Secrets Manager/SSM (`secrets`), never as `environment` values.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (task, _args, report) => {
    const containers = parseContainers(task.containerDefinitions);
    if (!containers) return report('containerDefinitions is not valid JSON');
    for (const container of containers) {
      for (const env of container.environment ?? []) {
        if (SECRET_NAME.test(env.name)) report(`container ${container.name} sets ${env.name} as a plain environment value; use secrets`);
        else if (URL_WITH_PASSWORD.test(env.value ?? '')) report(`container ${container.name} env ${env.name} holds a URL with a password`);
      }
    }
  }),
};

export const shallowHealthCheck: ResourceValidationPolicy = {
  name: 'shallow-health-check',
  description: "Target groups health-check the server's shallow /livez, so a database failover never makes ECS replace every task.",
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.TargetGroup, (tg, _args, report) => {
    if (tg.healthCheck?.path !== '/livez') report(`health check path is ${tg.healthCheck?.path ?? 'unset'}, expected the shallow /livez`);
  }),
};

interface ListenerAction {
  type?: string;
  redirect?: { protocol?: string };
}

/** A listener action that answers with content instead of sending the browser to HTTPS. */
function servesContent(action: ListenerAction): boolean {
  return !(action.type === 'redirect' && action.redirect?.protocol === 'HTTPS');
}

export const httpsOnlyPublicListeners: ResourceValidationPolicy = {
  name: 'https-only-public-listeners',
  description: 'A plain-HTTP listener only redirects to HTTPS, unless the stack set allowInsecureHttp (tag opsroom:allowInsecureHttp=true).',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.lb.Listener, (listener, _args, report) => checkListener(listener, report)),
    validateResourceOfType(aws.alb.Listener, (listener, _args, report) => checkListener(listener, report)),
  ],
};

function checkListener(listener: { protocol?: string; port?: number; defaultActions?: ListenerAction[]; tags?: Record<string, string> }, report: (message: string) => void) {
  if (listener.protocol !== 'HTTP' || listener.tags?.['opsroom:allowInsecureHttp'] === 'true') return;
  if ((listener.defaultActions ?? []).some(servesContent)) {
    report(`listener on port ${listener.port ?? 80} serves traffic over plain HTTP; redirect it to HTTPS or set opsroom:allowInsecureHttp on a throwaway stack`);
  }
}

export const noPublicCompute: ResourceValidationPolicy = {
  name: 'no-public-compute',
  description: 'Tasks and instances get no public IP: the load balancer is the only way in.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.ecs.Service, (service, _args, report) => {
      if (service.networkConfiguration?.assignPublicIp === true) report('ECS service assigns public IPs to tasks');
    }),
    validateResourceOfType(aws.ec2.Instance, (instance, _args, report) => {
      if (instance.associatePublicIpAddress === true) report('EC2 instance gets a public IP');
    }),
  ],
};

export const logsRetained: ResourceValidationPolicy = {
  name: 'logs-retained',
  description: 'Log groups set a retention so logs neither vanish nor pile up forever.',
  enforcementLevel: 'advisory',
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
    if (!group.retentionInDays) report('retentionInDays is not set');
  }),
};

export const singlePublicEntry: StackValidationPolicy = {
  name: 'single-public-entry',
  description: 'At most one internet-facing load balancer.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const publicLbs = args.resources.filter((r) =>
      (r.type === 'aws:lb/loadBalancer:LoadBalancer' || r.type === 'aws:alb/loadBalancer:LoadBalancer') && r.props.internal !== true);
    if (publicLbs.length > 1) report(`${publicLbs.length} internet-facing load balancers; expected one`);
  },
};

export const resourcePolicies: ResourceValidationPolicy[] = [
  noPublicDatabasePort,
  databaseEncryptedAndPrivate,
  productionDatabaseProtected,
  noPlaintextSecretsInContainers,
  shallowHealthCheck,
  httpsOnlyPublicListeners,
  noPublicCompute,
  logsRetained,
];
export const stackPolicies: StackValidationPolicy[] = [singlePublicEntry];

interface ContainerDefinition {
  name?: string;
  environment?: { name: string; value?: string }[];
}

function parseContainers(definitions: unknown): ContainerDefinition[] | undefined {
  if (Array.isArray(definitions)) return definitions as ContainerDefinition[];
  try {
    return JSON.parse(String(definitions)) as ContainerDefinition[];
  } catch {
    return undefined;
  }
}
