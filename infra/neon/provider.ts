import type { Api } from '@neondatabase/api-client';
import * as pulumi from '@pulumi/pulumi';
import { NeonClient, type NeonClientOptions } from './client';

/** What the user asks for. Project-level placement is immutable in Neon; names are not. */
export interface NeonProjectInputs {
  apiKey: string;
  projectName: string;
  regionId: string;
  pgVersion: number;
  branchName: string;
  roleName: string;
  databaseName: string;
  orgId?: string;
  apiUrl?: string;
  /** Point-in-time restore window in seconds (Neon's plan caps it). Default: Neon's (1 day). */
  historyRetentionSeconds?: number;
  /** Idle seconds before the compute suspends; -1 never suspends, 0 is Neon's default (5 min). */
  suspendTimeoutSeconds?: number;
  /** Let a change of region, Postgres version or org replace the project: a new, empty database. */
  allowReplace?: boolean;
}

export interface NeonProjectOutputs extends NeonProjectInputs {
  projectId: string;
  branchId: string;
  host: string;
  /** Straight to the compute: for migrations, advisory locks and session state. */
  directUrl: string;
  /** Through Neon's PgBouncer (transaction mode): for many short-lived app connections. */
  pooledUrl: string;
}

/** Changing any of these means a new project (and a new, empty database). */
export const REPLACE_ON_CHANGE = ['regionId', 'pgVersion', 'orgId'] as const;
const SETTINGS = ['historyRetentionSeconds', 'suspendTimeoutSeconds'] as const;
const COMPARED = ['apiKey', 'apiUrl', 'projectName', 'branchName', 'roleName', 'databaseName', ...SETTINGS, ...REPLACE_ON_CHANGE] as const;

/**
 * A Neon project with one branch, one role and one database, over `@neondatabase/api-client`.
 * Deleting the project deletes its branch, role and database with it.
 */
export class NeonProjectProvider implements pulumi.dynamic.ResourceProvider<NeonProjectInputs, NeonProjectOutputs> {
  readonly client: NeonClient;

  constructor(options: NeonClientOptions = {}) {
    this.client = new NeonClient(options);
  }

  async create(inputs: NeonProjectInputs): Promise<pulumi.dynamic.CreateResult<NeonProjectOutputs>> {
    const api = await this.client.api(inputs.apiKey, inputs.apiUrl);
    const { data } = await this.client.call('create project', () => api.createProject({
      project: {
        name: inputs.projectName,
        region_id: inputs.regionId,
        pg_version: inputs.pgVersion as never,
        org_id: inputs.orgId,
        ...this.settings(inputs),
        branch: { name: inputs.branchName, role_name: inputs.roleName, database_name: inputs.databaseName },
      },
    }));
    const urls = await this.connectionUrls(api, data.project.id, data.branch.id, inputs);
    return { id: data.project.id, outs: { ...inputs, projectId: data.project.id, branchId: data.branch.id, ...urls } };
  }

  settings(inputs: NeonProjectInputs) {
    return {
      ...(inputs.historyRetentionSeconds !== undefined ? { history_retention_seconds: inputs.historyRetentionSeconds } : {}),
      ...(inputs.suspendTimeoutSeconds !== undefined ? { default_endpoint_settings: { suspend_timeout_seconds: inputs.suspendTimeoutSeconds } } : {}),
    };
  }

  async diff(_id: string, olds: NeonProjectOutputs, news: NeonProjectInputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = COMPARED.filter((key) => olds[key] !== news[key]);
    const replaces = REPLACE_ON_CHANGE.filter((key) => olds[key] !== news[key]);
    if (replaces.length > 0 && !news.allowReplace) {
      throw new Error(`changing ${replaces.join(', ')} would replace Neon project ${olds.projectId} with a new, empty one; restore the old value, or set allowReplace (opsroom:neonAllowReplace) to do it on purpose`);
    }
    return {
      changes: changed.length > 0,
      replaces: [...replaces],
      stables: replaces.length === 0 ? ['projectId', 'branchId'] : [],
      deleteBeforeReplace: false,
    };
  }

  async update(id: string, olds: NeonProjectOutputs, news: NeonProjectInputs): Promise<pulumi.dynamic.UpdateResult<NeonProjectOutputs>> {
    const api = await this.client.api(news.apiKey, news.apiUrl);
    const branchId = olds.branchId;
    if (olds.projectName !== news.projectName || SETTINGS.some((key) => olds[key] !== news[key])) {
      await this.client.call('update project', () => api.updateProject(id, { project: { name: news.projectName, ...this.settings(news) } as never }));
    }
    if (olds.branchName !== news.branchName) {
      await this.client.call('rename branch', () => api.updateProjectBranch(id, branchId, { branch: { name: news.branchName } }));
    }
    if (olds.roleName !== news.roleName) {
      // Roles cannot be renamed: add the new one, hand it the database, then drop the old one.
      await this.client.call('create role', () => api.createProjectBranchRole(id, branchId, { role: { name: news.roleName } }));
      await this.client.call('change database owner', () =>
        api.updateProjectBranchDatabase(id, branchId, olds.databaseName, { database: { owner_name: news.roleName } }));
      await this.client.call('delete role', () => api.deleteProjectBranchRole(id, branchId, olds.roleName));
    }
    if (olds.databaseName !== news.databaseName) {
      await this.client.call('rename database', () =>
        api.updateProjectBranchDatabase(id, branchId, olds.databaseName, { database: { name: news.databaseName } }));
    }
    const urls = await this.connectionUrls(api, id, branchId, news);
    return { outs: { ...news, projectId: id, branchId, ...urls } };
  }

  /**
   * What Neon holds now, for `pulumi refresh` and `pulumi import`: names and settings changed in the
   * console, and a password reset there (the URLs are fetched again). A project gone from Neon
   * comes back without an id, which tells the engine it was deleted.
   */
  async read(id: string, props?: NeonProjectOutputs): Promise<pulumi.dynamic.ReadResult<NeonProjectOutputs>> {
    if (!props?.apiKey || !props.branchId) throw new Error(`reading Neon project ${id} needs its apiKey and branchId (import it with those as inputs)`);
    const api = await this.client.api(props.apiKey, props.apiUrl);
    let project;
    try {
      project = (await this.client.call('read project', () => api.getProject(id))).data.project;
    } catch (err) {
      if (this.client.status((err as Error).cause) === 404) return {};
      throw err;
    }
    const branch = (await this.client.call('read branch', () => api.getProjectBranch(id, props.branchId))).data.branch;
    const current: NeonProjectOutputs = {
      ...props,
      projectName: project.name,
      regionId: project.region_id,
      pgVersion: project.pg_version,
      orgId: project.org_id ?? props.orgId,
      branchName: branch.name,
      historyRetentionSeconds: props.historyRetentionSeconds === undefined ? undefined : project.history_retention_seconds,
      suspendTimeoutSeconds: props.suspendTimeoutSeconds === undefined ? undefined : project.default_endpoint_settings?.suspend_timeout_seconds,
    };
    return { id, props: { ...current, ...(await this.connectionUrls(api, id, props.branchId, current)) } };
  }

  async delete(id: string, props: NeonProjectOutputs): Promise<void> {
    const api = await this.client.api(props.apiKey, props.apiUrl);
    await this.client.call('delete project', async () => {
      try {
        await api.deleteProject(id);
      } catch (err) {
        // Already gone (deleted in the console, or a retried delete): the goal is reached.
        if (this.client.status(err) !== 404) throw err;
      }
    });
  }

  async connectionUrls(api: Api<unknown>, projectId: string, branchId: string, inputs: NeonProjectInputs) {
    const uri = (pooled: boolean) => this.client.call('get connection URI', () => api.getConnectionUri({
      projectId,
      branch_id: branchId,
      database_name: inputs.databaseName,
      role_name: inputs.roleName,
      pooled,
    }));
    const direct = await uri(false);
    const pooled = await uri(true);
    return { directUrl: direct.data.uri, pooledUrl: pooled.data.uri, host: new URL(direct.data.uri).hostname };
  }
}

export type NeonProjectArgs = { [K in keyof NeonProjectInputs]: pulumi.Input<NeonProjectInputs[K]> };

/** The Neon project as a Pulumi resource; the API key and both URLs are secret outputs. */
export class NeonProject extends pulumi.dynamic.Resource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly branchId: pulumi.Output<string>;
  declare readonly host: pulumi.Output<string>;
  declare readonly directUrl: pulumi.Output<string>;
  declare readonly pooledUrl: pulumi.Output<string>;

  constructor(name: string, args: NeonProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(new NeonProjectProvider(), name, {
      ...args,
      apiKey: pulumi.secret(args.apiKey),
      projectId: undefined,
      branchId: undefined,
      host: undefined,
      directUrl: undefined,
      pooledUrl: undefined,
    }, { ...opts, additionalSecretOutputs: ['apiKey', 'directUrl', 'pooledUrl'] }, 'neon', 'Project');
  }
}
