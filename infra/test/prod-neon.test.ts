import { beforeAll, describe, expect, it } from 'vitest';
import { runStack, SECRET_CONFIG, type StackRun } from './mocks';
import { guardrailTests } from './stack-checks';

let run: StackRun;
beforeAll(async () => {
  run = await runStack('prod', {
    'opsroom:database': 'neon',
    'opsroom:certificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/given',
    'opsroom:domainName': 'ops.example.com',
    'opsroom:imageTag': 'abc1234',
  });
});
const project = () => run.ofType('pulumi-nodejs:dynamic/neon:Project')[0];

describe('prod stack on Neon', () => {
  guardrailTests(() => run);

  it('creates a Neon project and no RDS instance, VPC-private app tier unchanged', () => {
    expect(run.ofType('aws:rds/instance:Instance')).toEqual([]);
    expect(project().inputs).toMatchObject({ projectName: 'opsroom-prod', branchName: 'main', roleName: 'opsroom', databaseName: 'opsroom' });
    expect(project().inputs).toMatchObject({ historyRetentionSeconds: 604800, suspendTimeoutSeconds: -1, allowReplace: false });
    expect(run.ofType('aws:ecs/service:Service')[0].inputs.desiredCount).toBe(2);
  });

  it('a given certificate ARN is used as is, with no ACM certificate created', () => {
    expect(run.ofType('aws:acm/certificate:Certificate')).toEqual([]);
    expect(run.ofType('aws:lb/listener:Listener').find((l) => l.inputs.port === 443)!.inputs.certificateArn)
      .toBe('arn:aws:acm:us-east-1:123456789012:certificate/given');
  });

  it('prod Neon project is protected from pulumi destroy', () => {
    expect(project().protect).toBe(true);
  });

  it('the Neon API key is registered as a secret input', () => {
    expect(project().secretInputs).toContain(JSON.stringify(SECRET_CONFIG['opsroom:neonApiKey']));
  });

  it('the Neon connection strings are secret outputs and the project id is not', () => {
    expect(run.outputs.neonDirectUrl).toMatchObject({ secret: true, value: expect.stringContaining('ep-mock-123.') });
    expect(run.outputs.neonPooledUrl).toMatchObject({ secret: true, value: expect.stringContaining('-pooler.') });
    expect(run.outputs.neonProjectId).toEqual({ secret: false, value: 'mock-project-123' });
  });

  it('both roles use the direct host, never the pooler: the ops task as the owner role, the serving tasks as the app role', () => {
    const version = (name: string) => run.ofType('aws:secretsmanager/secretVersion:SecretVersion').find((v) => v.name === name)!;
    const migrator = version('opsroom-prod-ops-database-url');
    expect(migrator.inputs.secretString).toBe(run.outputs.neonDirectUrl.value);
    const app = new URL(version('opsroom-prod-database-url').inputs.secretString);
    expect(app.username).toBe('opsroom_app');
    expect(app.host).toBe(new URL(String(run.outputs.neonDirectUrl.value)).host);
    expect(app.host).not.toContain('-pooler.');
    expect(migrator.secretInputs.length).toBeGreaterThan(0);
    expect(run.outputs.databaseMasterSecretArn.value).toBeNull();
  });

  it('the dynamic provider serializes without capturing the Neon SDK module', () => {
    const provider = String(project().inputs.__provider);
    expect(provider).toContain('exports.handler');
    expect(provider).toContain('@neondatabase/api-client');
    expect(provider).not.toContain('__vite_ssr_dynamic_import__');
  });
});
