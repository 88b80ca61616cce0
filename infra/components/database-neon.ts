import * as pulumi from '@pulumi/pulumi';
import { NeonProject } from '../neon/provider';

export interface NeonDatabaseArgs {
  /** Neon API key (a Pulumi secret). */
  apiKey: pulumi.Input<string>;
  /** Neon project name. Default: `opsroom-<stack>`. */
  projectName?: string;
  /** Neon region id. Default: `aws-us-east-1` (put it next to the ECS region). */
  regionId?: string;
  /** PostgreSQL major version; changing it replaces the project. Default: 17. */
  pgVersion?: number;
  /** Default branch name. Default: `main`. */
  branchName?: string;
  /** Database and owner role name. Default: `opsroom`. */
  databaseName?: string;
  /** Neon organization id, for keys that belong to an org. Default: the key's personal account. */
  orgId?: string;
  /** Production sets Pulumi `protect`, a 7-day restore window and an always-on compute. Default: false. */
  production?: boolean;
  /** Point-in-time restore window in seconds. Default: 7 days in production, Neon's default otherwise. */
  historyRetentionSeconds?: number;
  /** Idle seconds before the compute suspends (-1: never). Default: -1 in production, Neon's default otherwise. */
  suspendTimeoutSeconds?: number;
  /** Let a region / Postgres version / org change replace the project (a new, empty database). Default: false. */
  allowReplace?: boolean;
  /** The app's login role: `url` uses it; the ops task creates it (the owner role is the migrator). */
  appRole: { name: string; password: pulumi.Input<string> };
}

/**
 * A Neon project holding the opsroom database, reached over the internet with TLS. The project's
 * owner role is the migrator; the app connects as `appRole`, created by the ops task with row
 * access only.
 */
export class NeonDatabase extends pulumi.ComponentResource {
  readonly projectId: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  /** Secret: the owner role on the direct host. Migrations must use this one: PgBouncer's transaction mode breaks their locks. */
  readonly directUrl: pulumi.Output<string>;
  /** Secret: the app role on the direct host. */
  readonly url: pulumi.Output<string>;
  /** Secret. */
  readonly pooledUrl: pulumi.Output<string>;

  constructor(name: string, args: NeonDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:database:Neon', name, {}, opts);
    const databaseName = args.databaseName ?? 'opsroom';
    const project = new NeonProject(name, {
      apiKey: args.apiKey,
      projectName: args.projectName ?? `opsroom-${pulumi.getStack()}`,
      regionId: args.regionId ?? 'aws-us-east-1',
      pgVersion: args.pgVersion ?? 17,
      branchName: args.branchName ?? 'main',
      roleName: databaseName,
      databaseName,
      orgId: args.orgId,
      historyRetentionSeconds: args.historyRetentionSeconds ?? (args.production ? 7 * 24 * 3600 : undefined),
      // Operators should not wait out a cold start in production (needs a paid Neon plan).
      suspendTimeoutSeconds: args.suspendTimeoutSeconds ?? (args.production ? -1 : undefined),
      allowReplace: args.allowReplace ?? false,
    }, { parent: this, protect: args.production ?? false });

    this.projectId = project.projectId;
    this.endpoint = project.host;
    // additionalSecretOutputs covers the engine; wrapping keeps them secret inside this program too.
    this.directUrl = pulumi.secret(project.directUrl);
    this.pooledUrl = pulumi.secret(project.pooledUrl);
    this.url = pulumi.secret(pulumi.interpolate`postgresql://${args.appRole.name}:${args.appRole.password}@${project.host}/${databaseName}?sslmode=require`);
    this.registerOutputs({ projectId: this.projectId });
  }
}
