import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AppSecretsArgs {
  /** Environment variable name → secret value; each becomes one Secrets Manager secret. */
  values: Record<string, pulumi.Input<string>>;
  /** Days a deleted secret can still be restored. Default: 7 (0 deletes at once; use for throwaway stacks). */
  recoveryWindowInDays?: number;
  /** Tags for every resource. Default: none. */
  tags?: Record<string, string>;
}

/**
 * The app's secrets in Secrets Manager. ECS injects them into the container at start, so the
 * values appear neither in the task definition nor in any stack output — only their ARNs do.
 */
export class AppSecrets extends pulumi.ComponentResource {
  /** Environment variable name → secret ARN. */
  readonly arns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:app:Secrets', name, {}, opts);
    this.arns = {};
    for (const [envName, value] of Object.entries(args.values)) {
      const slug = envName.toLowerCase().replace(/_/g, '-');
      const secret = new aws.secretsmanager.Secret(`${name}-${slug}`, {
        namePrefix: `${name}/${slug}-`,
        description: `opsroom ${envName}`,
        recoveryWindowInDays: args.recoveryWindowInDays ?? 7,
        tags: args.tags,
      }, { parent: this });
      new aws.secretsmanager.SecretVersion(`${name}-${slug}`, {
        secretId: secret.id,
        secretString: pulumi.secret(value),
      }, { parent: this });
      this.arns[envName] = secret.arn;
    }
    this.registerOutputs({ arns: this.arns });
  }
}
