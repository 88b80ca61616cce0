import * as pulumi from '@pulumi/pulumi';
import { App } from './components/app';
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
  tags,
});

interface DatabaseWiring {
  endpoint: pulumi.Output<string>;
  url: pulumi.Output<string>;
  readUrl?: pulumi.Output<string>;
}

let database: DatabaseWiring;
let neon: NeonDatabase | undefined;
if (settings.database === 'rds') {
  database = new RdsDatabase(name, {
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
    tags,
  });
} else {
  neon = new NeonDatabase(name, {
    apiKey: settings.neon.apiKey!,
    regionId: settings.neon.regionId,
    pgVersion: settings.neon.pgVersion,
    orgId: settings.neon.orgId,
    production: settings.production,
  });
  // The direct URL, so the one-off migration task (same task definition) gets session semantics.
  database = { endpoint: neon.endpoint, url: neon.directUrl };
}

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

const app = new App(name, {
  vpcId: network.vpcId,
  publicSubnetIds: network.publicSubnetIds,
  privateSubnetIds: network.privateSubnetIds,
  albSecurityGroupId: network.albSecurityGroupId,
  appSecurityGroupId: network.appSecurityGroupId,
  secretArns: secrets.arns,
  environment: settings.stack,
  imageTag: settings.app.imageTag,
  cpu: settings.app.cpu,
  memory: settings.app.memory,
  desiredCount: settings.app.desiredCount,
  maxCount: settings.app.maxCount,
  cpuTargetPercent: settings.app.cpuTargetPercent,
  logRetentionDays: settings.app.logRetentionDays,
  certificateArn: settings.app.certificateArn,
  domainName: settings.app.domainName,
  tags,
});

export const url = app.url;
export const loadBalancerDnsName = app.loadBalancerDnsName;
export const ecrRepositoryUrl = app.ecrRepositoryUrl;
export const clusterName = app.clusterName;
export const serviceName = app.serviceName;
export const taskDefinitionArn = app.taskDefinitionArn;
export const privateSubnetIds = network.privateSubnetIds;
export const appSecurityGroupId = network.appSecurityGroupId;
export const databaseEndpoint = database.endpoint;
export const databaseUrlSecretArn = secrets.arns.DATABASE_URL;
export const databaseReadUrlSecretArn = secrets.arns.DATABASE_READ_URL;
export const encryptionKeySecretArn = secrets.arns.OPSROOM_ENCRYPTION_KEY;
export const sessionSecretArn = secrets.arns.SESSION_SECRET;
export const neonProjectId = neon?.projectId;
export const neonDirectUrl = neon?.directUrl;
export const neonPooledUrl = neon?.pooledUrl;
