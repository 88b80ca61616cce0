import * as pulumi from '@pulumi/pulumi';
import type { OidcSettings } from './components/edge';

export type DatabaseKind = 'rds' | 'neon';

/** Everything the program reads from stack config, with the defaults applied in one place. */
export interface StackSettings {
  stack: string;
  /** Production stacks get deletion protection, `protect`, Multi-AZ defaults and >= 2 tasks. */
  production: boolean;
  database: DatabaseKind;
  existingVpc?: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };
  vpcCidr: string;
  azCount: number;
  rds: {
    instanceClass: string;
    allocatedStorageGb: number;
    postgresMajorVersion: string;
    multiAz: boolean;
    backupRetentionDays: number;
    readReplica: boolean;
  };
  neon: {
    apiKey?: pulumi.Output<string>;
    regionId: string;
    pgVersion: number;
    orgId?: string;
    historyRetentionSeconds?: number;
    suspendTimeoutSeconds?: number;
    allowReplace: boolean;
  };
  app: {
    /** Unset until the deploy workflow pushes a first image; the service then runs no tasks. */
    imageTag?: string;
    cpu: number;
    memory: number;
    desiredCount: number;
    maxCount: number;
    cpuTargetPercent: number;
    logRetentionDays: number;
    certificateArn?: string;
    domainName?: string;
    hostedZoneId?: string;
    allowInsecureHttp: boolean;
    allowedCidrs?: string[];
    oidc?: OidcSettings;
    loginRateLimit: number;
    /** Email of the first operator the ops task creates (`npm run admin:create`). */
    adminEmail: string;
  };
  encryptionKey: pulumi.Output<string>;
  sessionSecret: pulumi.Output<string>;
}

export function readSettings(): StackSettings {
  const config = new pulumi.Config('opsroom');
  const stack = pulumi.getStack();
  const production = config.getBoolean('production') ?? stack === 'prod';

  const database = config.require('database');
  if (database !== 'rds' && database !== 'neon') {
    throw new Error(`opsroom:database must be "rds" or "neon", got "${database}"`);
  }

  const vpcId = config.get('vpcId');
  const existingVpc = vpcId
    ? {
        vpcId,
        publicSubnetIds: config.requireObject<string[]>('publicSubnetIds'),
        privateSubnetIds: config.requireObject<string[]>('privateSubnetIds'),
      }
    : undefined;

  const desiredCount = config.getNumber('desiredCount') ?? (production ? 2 : 1);
  if (production && desiredCount < 2) {
    throw new Error('opsroom:desiredCount must be >= 2 on a production stack (one task per AZ at least)');
  }

  const certificateArn = config.get('certificateArn');
  const domainName = config.get('domainName');
  const hostedZoneId = config.get('hostedZoneId');
  const allowInsecureHttp = config.getBoolean('allowInsecureHttp') ?? false;
  if (production && allowInsecureHttp) throw new Error('opsroom:allowInsecureHttp is for throwaway dev stacks; a production stack serves HTTPS');
  if (!certificateArn && !(domainName && hostedZoneId) && !allowInsecureHttp) {
    throw new Error('opsroom needs HTTPS: set opsroom:certificateArn, or opsroom:domainName and opsroom:hostedZoneId (ACM issues the certificate); for a throwaway dev stack only, opsroom:allowInsecureHttp true');
  }
  const oidc = config.getObject<Omit<OidcSettings, 'clientSecret'>>('oidc');

  return {
    stack,
    production,
    database,
    existingVpc,
    vpcCidr: config.get('vpcCidr') ?? '10.40.0.0/16',
    azCount: config.getNumber('azCount') ?? 2,
    rds: {
      instanceClass: config.get('dbInstanceClass') ?? 'db.t4g.micro',
      allocatedStorageGb: config.getNumber('dbAllocatedStorageGb') ?? 20,
      postgresMajorVersion: config.get('postgresMajorVersion') ?? '17',
      multiAz: config.getBoolean('dbMultiAz') ?? production,
      backupRetentionDays: config.getNumber('dbBackupRetentionDays') ?? (production ? 14 : 7),
      readReplica: config.getBoolean('dbReadReplica') ?? false,
    },
    neon: {
      apiKey: database === 'neon' ? config.requireSecret('neonApiKey') : undefined,
      regionId: config.get('neonRegion') ?? 'aws-us-east-1',
      pgVersion: config.getNumber('neonPgVersion') ?? 17,
      orgId: config.get('neonOrgId'),
      historyRetentionSeconds: config.getNumber('neonHistoryRetentionSeconds'),
      suspendTimeoutSeconds: config.getNumber('neonSuspendTimeoutSeconds'),
      allowReplace: config.getBoolean('neonAllowReplace') ?? false,
    },
    app: {
      imageTag: config.get('imageTag'),
      cpu: config.getNumber('cpu') ?? 512,
      memory: config.getNumber('memory') ?? 1024,
      desiredCount,
      maxCount: config.getNumber('maxCount') ?? Math.max(desiredCount, production ? 6 : 2),
      cpuTargetPercent: config.getNumber('cpuTargetPercent') ?? 60,
      logRetentionDays: config.getNumber('logRetentionDays') ?? (production ? 90 : 14),
      certificateArn,
      domainName,
      hostedZoneId,
      allowInsecureHttp,
      allowedCidrs: config.getObject<string[]>('allowedCidrs'),
      oidc: oidc && { ...oidc, clientSecret: config.requireSecret('oidcClientSecret') },
      loginRateLimit: config.getNumber('loginRateLimit') ?? 100,
      adminEmail: config.get('adminEmail') ?? `admin@${domainName ?? 'opsroom.invalid'}`,
    },
    encryptionKey: config.requireSecret('encryptionKey'),
    sessionSecret: config.requireSecret('sessionSecret'),
  };
}

/** Tags every resource carries; the policy pack reads `opsroom:production` to apply prod-only rules. */
export function baseTags(settings: Pick<StackSettings, 'stack' | 'production'>): Record<string, string> {
  return {
    project: 'opsroom',
    environment: settings.stack,
    'opsroom:production': String(settings.production),
  };
}
