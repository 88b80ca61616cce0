import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';

export interface RdsDatabaseArgs {
  vpcId: pulumi.Input<string>;
  /** Private subnets (>= 2 AZs) the instance and its replica live in. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The app's security group: the only source allowed to reach port 5432. */
  appSecurityGroupId: pulumi.Input<string>;
  /** Production turns on deletion protection and Pulumi `protect`. Default: false. */
  production?: boolean;
  /** Instance class. Default: `db.t4g.micro`. */
  instanceClass?: string;
  /** Initial storage in GiB; storage autoscales up to 10x. Default: 20. */
  allocatedStorageGb?: number;
  /** Pinned PostgreSQL major version; AWS applies minor versions. Default: `17`. */
  postgresMajorVersion?: string;
  /** Standby in a second AZ. Default: same as `production`. */
  multiAz?: boolean;
  /** Days of automated backups (point-in-time recovery); at least 7. Default: 7. */
  backupRetentionDays?: number;
  /** Add a read replica and expose its URL as `readUrl`. Default: false. */
  readReplica?: boolean;
  /** Database and master user (migrator) name. Default: `opsroom`. */
  databaseName?: string;
  /** The app's login role: the serving tasks' URLs use it; the ops task creates it. */
  appRole: { name: string; password: pulumi.Input<string> };
  /** Tags for every resource. Default: none. */
  tags?: Record<string, string>;
}

/**
 * PostgreSQL on RDS, reachable only from the app's security group, with two roles: the master
 * user is the migrator (its password managed and rotated by RDS in Secrets Manager, never in
 * Pulumi state), and the app connects as `appRole`, which the migration task creates with row
 * access only (server/src/db/appRole.ts).
 */
export class RdsDatabase extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secret: `postgresql://<app role>:…` for the primary, with `sslmode=require`. */
  readonly url: pulumi.Output<string>;
  /** Secret: the app role's URL of the read replica, when one is configured. */
  readonly readUrl?: pulumi.Output<string>;
  /** The migrator's URL, without a password: that comes from `migratorPassword`. */
  readonly migratorUrl: pulumi.Output<string>;
  /** The RDS-managed secret holding the master user's current password (JSON key `password`). */
  readonly migratorPassword: { arn: pulumi.Output<string>; jsonKey: string };

  constructor(name: string, args: RdsDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:database:Rds', name, {}, opts);
    const production = args.production ?? false;
    const backupRetentionDays = args.backupRetentionDays ?? 7;
    if (backupRetentionDays < 7) throw new Error('backupRetentionDays must be at least 7');
    const dbName = args.databaseName ?? 'opsroom';
    const tags = args.tags ?? {};
    // A production database must survive a mistaken `pulumi destroy` or a refactor that drops it.
    const keep = { parent: this, protect: production };

    const sg = new aws.ec2.SecurityGroup(`${name}-db`, {
      vpcId: args.vpcId,
      description: 'opsroom database: PostgreSQL from the app tasks only',
      ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, securityGroups: [args.appSecurityGroupId] }],
      tags: { ...tags, Name: `${name}-db` },
    }, { parent: this });

    const subnets = new aws.rds.SubnetGroup(name, { subnetIds: args.subnetIds, tags }, { parent: this });

    // A fixed final-snapshot name fails the second destroy (or a replacement) with "snapshot
    // already exists": the suffix changes whenever the instance would be created anew.
    const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, {
      byteLength: 4,
      keepers: { dbName, storageEncrypted: 'true', subnets: subnets.name },
    }, { parent: this });

    const storage = args.allocatedStorageGb ?? 20;
    const primary = new aws.rds.Instance(name, {
      identifierPrefix: `${name}-`,
      engine: 'postgres',
      engineVersion: args.postgresMajorVersion ?? '17',
      autoMinorVersionUpgrade: true,
      instanceClass: args.instanceClass ?? 'db.t4g.micro',
      allocatedStorage: storage,
      maxAllocatedStorage: storage * 10,
      storageType: 'gp3',
      storageEncrypted: true,
      publiclyAccessible: false,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [sg.id],
      dbName,
      username: dbName,
      // RDS keeps the master password in Secrets Manager and rotates it (every 7 days); the ops
      // task reads the current one at start (`valueFrom: <arn>:password::`), nothing else does.
      manageMasterUserPassword: true,
      multiAz: args.multiAz ?? production,
      backupRetentionPeriod: backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: production,
      // Never skip the final snapshot, not even on dev: destroying a stack must not destroy data.
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: pulumi.interpolate`${name}-final-${snapshotSuffix.hex}`,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      tags,
    }, {
      ...keep,
      // AWS upgrades the minor version in place; the pinned major is all the program owns.
      ignoreChanges: ['engineVersion'],
    });

    this.endpoint = primary.endpoint;
    this.securityGroupId = sg.id;
    this.url = postgresUrl(args.appRole.name, args.appRole.password, primary.address, dbName);
    this.migratorUrl = pulumi.interpolate`postgresql://${dbName}@${primary.address}:5432/${dbName}?sslmode=require`;
    this.migratorPassword = { arn: primary.masterUserSecrets.apply((s) => s[0].secretArn), jsonKey: 'password' };

    if (args.readReplica) {
      const replica = new aws.rds.Instance(`${name}-replica`, {
        identifierPrefix: `${name}-replica-`,
        replicateSourceDb: primary.identifier,
        instanceClass: args.instanceClass ?? 'db.t4g.micro',
        storageEncrypted: true,
        publiclyAccessible: false,
        vpcSecurityGroupIds: [sg.id],
        autoMinorVersionUpgrade: true,
        deletionProtection: production,
        // A replica holds no data of its own (the primary keeps the final snapshot) and AWS
        // refuses a final snapshot for replicas.
        skipFinalSnapshot: true,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: 7,
        tags: { ...tags, role: 'read-replica' },
      }, { parent: this, ignoreChanges: ['engineVersion'] });
      this.readUrl = postgresUrl(args.appRole.name, args.appRole.password, replica.address, dbName);
    }

    this.registerOutputs({ endpoint: this.endpoint });
  }
}

function postgresUrl(user: string, password: pulumi.Input<string>, host: pulumi.Input<string>, database: string): pulumi.Output<string> {
  return pulumi.secret(pulumi.interpolate`postgresql://${user}:${password}@${host}:5432/${database}?sslmode=require`);
}
