import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { App } from './components/app';
import { Edge } from './components/edge';
import { NeonDatabase } from './components/database-neon';
import { RdsDatabase } from './components/database-rds';
import { Network } from './components/network';
import { AppSecrets } from './components/secrets';
import { baseTags, readSettings } from './config';

const settings = readSettings();
const tags = baseTags(settings);
const name = `opsroom-${settings.stack}`;

const network = new Network(name, {
  existingVpc: settings.existingVpc,
  cidrBlock: settings.vpcCidr,
  azCount: settings.azCount,
  allowedCidrs: settings.app.allowedCidrs,
  tags,
});

// Two database roles: the migrator (RDS master user / Neon owner role) is what only the one-off
// ops task connects as; the serving tasks connect as the app role, which reads and writes rows and
// can run no DDL. The ops task creates the app role and sets this password on every migration run
// (server/src/db/appRole.ts), so replacing it here and deploying rotates it (infra/README.md).
const appRole = {
  name: 'opsroom_app',
  password: new random.RandomPassword(`${name}-app-db`, { length: 40, special: false }).result,
};

interface DatabaseWiring {
  endpoint: pulumi.Output<string>;
  /** The app role's URLs. */
  url: pulumi.Output<string>;
  readUrl?: pulumi.Output<string>;
  /** The migrator's URL, and where its password comes from when the URL has none. */
  migratorUrl: pulumi.Output<string>;
  migratorPassword?: { arn: pulumi.Output<string>; jsonKey: string };
  /** RDS: the RDS-managed secret with the master password. */
  masterSecretArn?: pulumi.Output<string>;
}

let database: DatabaseWiring;
let neon: NeonDatabase | undefined;
if (settings.database === 'rds') {
  const rds = new RdsDatabase(name, {
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    appSecurityGroupId: network.appSecurityGroupId,
    production: settings.production,
    instanceClass: settings.rds.instanceClass,
    allocatedStorageGb: settings.rds.allocatedStorageGb,
    postgresMajorVersion: settings.rds.postgresMajorVersion,
    multiAz: settings.rds.multiAz,
    backupRetentionDays: settings.rds.backupRetentionDays,
    readReplica: settings.rds.readReplica,
    appRole,
    tags,
  });
  database = { endpoint: rds.endpoint, url: rds.url, readUrl: rds.readUrl, migratorUrl: rds.migratorUrl, migratorPassword: rds.migratorPassword, masterSecretArn: rds.migratorPassword.arn };
} else {
  neon = new NeonDatabase(name, {
    apiKey: settings.neon.apiKey!,
    regionId: settings.neon.regionId,
    pgVersion: settings.neon.pgVersion,
    orgId: settings.neon.orgId,
    historyRetentionSeconds: settings.neon.historyRetentionSeconds,
    suspendTimeoutSeconds: settings.neon.suspendTimeoutSeconds,
    allowReplace: settings.neon.allowReplace,
    production: settings.production,
    appRole,
  });
  // The owner role on the direct host: migrations need session semantics, never the pooler.
  database = { endpoint: neon.endpoint, url: neon.url, migratorUrl: neon.directUrl };
}

// The first operator's password: generated here, read once with
// `pulumi stack output initialAdminPassword --show-secrets`, and handed to the ops task by ECS
// from Secrets Manager, so it never appears in a command line, a task override or a log line.
const adminPassword = new random.RandomPassword(`${name}-initial-admin`, { length: 24, special: false });

const secrets = new AppSecrets(name, {
  values: {
    DATABASE_URL: database.url,
    ...(database.readUrl ? { DATABASE_READ_URL: database.readUrl } : {}),
    OPSROOM_ENCRYPTION_KEY: settings.encryptionKey,
    SESSION_SECRET: settings.sessionSecret,
  },
  recoveryWindowInDays: settings.production ? 30 : 7,
  tags,
});
const opsSecrets = new AppSecrets(`${name}-ops`, {
  values: {
    DATABASE_URL: database.migratorUrl,
    OPSROOM_APP_DB_PASSWORD: appRole.password,
    OPSROOM_ADMIN_PASSWORD: adminPassword.result,
  },
  recoveryWindowInDays: settings.production ? 30 : 7,
  tags,
});

const edge = new Edge(name, {
  vpcId: network.vpcId,
  publicSubnetIds: network.publicSubnetIds,
  albSecurityGroupId: network.albSecurityGroupId,
  appPort: network.appPort,
  certificateArn: settings.app.certificateArn,
  domainName: settings.app.domainName,
  hostedZoneId: settings.app.hostedZoneId,
  allowInsecureHttp: settings.app.allowInsecureHttp,
  oidc: settings.app.oidc,
  loginRateLimit: settings.app.loginRateLimit,
  tags,
});

const app = new App(name, {
  privateSubnetIds: network.privateSubnetIds,
  appSecurityGroupId: network.appSecurityGroupId,
  port: network.appPort,
  targetGroupArn: edge.targetGroupArn,
  listeners: edge.listeners,
  secretArns: secrets.arns,
  // pg reads PGPASSWORD when the URL has no password: the RDS-rotated master password, fresh at each task start.
  opsSecretArns: { ...opsSecrets.arns, ...(database.migratorPassword ? { PGPASSWORD: database.migratorPassword } : {}) },
  opsEnvironment: { OPSROOM_APP_DB_USER: appRole.name },
  production: settings.production,
  allowInsecureHttp: settings.app.allowInsecureHttp,
  environment: settings.stack,
  imageTag: settings.app.imageTag,
  cpu: settings.app.cpu,
  memory: settings.app.memory,
  desiredCount: settings.app.desiredCount,
  maxCount: settings.app.maxCount,
  cpuTargetPercent: settings.app.cpuTargetPercent,
  logRetentionDays: settings.app.logRetentionDays,
  tags,
});

export const url = edge.url;
export const loadBalancerDnsName = edge.dnsName;
export const ecrRepositoryUrl = app.ecrRepositoryUrl;
export const clusterName = app.clusterName;
export const serviceName = app.serviceName;
export const desiredCount = app.desiredCount;
export const taskDefinitionArn = app.taskDefinitionArn;
export const opsTaskDefinitionArn = app.opsTaskDefinitionArn;
export const privateSubnetIds = network.privateSubnetIds;
export const appSecurityGroupId = network.appSecurityGroupId;
export const databaseEndpoint = database.endpoint;
export const databaseUrlSecretArn = secrets.arns.DATABASE_URL;
export const encryptionKeySecretArn = secrets.arns.OPSROOM_ENCRYPTION_KEY;
export const sessionSecretArn = secrets.arns.SESSION_SECRET;
export const initialAdminEmail = settings.app.adminEmail;
export const initialAdminPassword = pulumi.secret(adminPassword.result);
// Outputs that only some stacks have are null elsewhere rather than absent: the engine warns
// about every undefined export on every run.
export const databaseReadUrlSecretArn = secrets.arns.DATABASE_READ_URL ?? null;
export const databaseMasterSecretArn = database.masterSecretArn ?? null;
export const neonProjectId = neon?.projectId ?? null;
export const neonDirectUrl = neon?.directUrl ?? null;
export const neonPooledUrl = neon?.pooledUrl ?? null;
