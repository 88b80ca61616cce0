import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// Every `uses:` step against its action's own definition (scripts/test/fixtures/actions.json, read
// from each action.yml at the pinned ref): no input the action does not declare, every required
// input given, and every `steps.<id>.outputs.<name>` one that step really sets.

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKFLOWS = ['ci.yml', 'deploy.yml', 'preview.yml'];

interface ActionFacts { commit: string; runs: string; inputs: string[]; required: string[]; outputs: string[] }
type Step = { id?: string; name?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Workflow = { jobs: Record<string, { steps: Step[] }> };

const ACTIONS = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/actions.json'), 'utf8')) as Record<string, ActionFacts>;
/** Actions still on an older runtime, each with why it stays. */
const OLD_RUNTIME_ALLOWED: Record<string, string> = {
  'neondatabase/create-branch-action@v6': 'its node24 build is merged but not released; GitHub runs node20 actions on node24 after the deprecation date',
};

/** pulumi/actions turns every stack output into a step output of the same name. */
function stackOutputs(): string[] {
  const program = readFileSync(path.join(ROOT, 'infra/index.ts'), 'utf8');
  return [...program.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
}

/** Names a `run:` step writes to $GITHUB_OUTPUT. */
function scriptOutputs(script: string): string[] {
  return [...script.matchAll(/echo "([\w-]+)=[^"]*" >> "\$GITHUB_OUTPUT"/g)].map((m) => m[1]);
}

function stepLabel(file: string, job: string, step: Step) {
  return `${file} ${job}: ${step.name ?? step.uses ?? step.id}`;
}

export function problems(file: string, workflow: Workflow): string[] {
  const found: string[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps) {
      if (!step.uses) continue;
      const label = stepLabel(file, jobName, step);
      const facts = ACTIONS[step.uses];
      if (!facts) {
        found.push(`${label}: not in fixtures/actions.json (read its action.yml at that ref and add it)`);
        continue;
      }
      const given = Object.keys(step.with ?? {});
      for (const input of given.filter((i) => !facts.inputs.includes(i))) found.push(`${label}: has no input "${input}"`);
      for (const input of facts.required.filter((i) => !given.includes(i))) found.push(`${label}: requires input "${input}"`);
      if (/^node(12|16|20)$/.test(facts.runs) && !OLD_RUNTIME_ALLOWED[step.uses]) found.push(`${label}: runs on ${facts.runs}, which is end of life`);
    }
    const text = JSON.stringify(job);
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const step = job.steps.find((s) => s.id === id);
      if (!step) {
        found.push(`${file} ${jobName}: steps.${id} does not exist`);
        continue;
      }
      const known = step.uses
        ? [...(ACTIONS[step.uses]?.outputs ?? []), ...(step.uses.startsWith('pulumi/actions@') ? stackOutputs() : [])]
        : scriptOutputs(step.run ?? '');
      if (!known.includes(output)) found.push(`${stepLabel(file, jobName, step)}: sets no output "${output}" (it has: ${known.join(', ') || 'none'})`);
    }
  }
  return found;
}

describe('workflow steps against their actions\' definitions', () => {
  it.each(WORKFLOWS)('%s uses only declared inputs, gives every required one, and reads only real outputs', (file) => {
    const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows', file), 'utf8')) as Workflow;
    expect(problems(file, workflow)).toEqual([]);
  });

  it('every action in the table was read at a commit', () => {
    for (const [ref, facts] of Object.entries(ACTIONS).filter(([k]) => !k.startsWith('_'))) {
      expect(facts.commit, ref).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('catches the mistakes preview.yml used to make: an unknown output, a missing required input, an unknown input', () => {
    const broken: Workflow = { jobs: { create: { steps: [
      { id: 'branch', uses: 'neondatabase/create-branch-action@v6', with: { api_key: 'k', branch_name: 'b', database_name: 'opsroom' } },
      { name: 'post', run: 'echo "${{ steps.branch.outputs.host }}"' },
      { id: 'sum', run: 'echo "total=1" >> "$GITHUB_OUTPUT"' },
      { run: 'echo ${{ steps.sum.outputs.count }} ${{ steps.nope.outputs.x }}' },
      { uses: 'actions/checkout@v4' },
    ] } } };
    expect(problems('broken.yml', broken)).toEqual([
      'broken.yml create: neondatabase/create-branch-action@v6: has no input "database_name"',
      'broken.yml create: neondatabase/create-branch-action@v6: requires input "project_id"',
      'broken.yml create: actions/checkout@v4: not in fixtures/actions.json (read its action.yml at that ref and add it)',
      expect.stringContaining('sets no output "host" (it has: db_url, db_url_pooled, db_host'),
      expect.stringContaining('sets no output "count" (it has: total)'),
      'broken.yml create: steps.nope does not exist',
    ]);
  });

  it('stack outputs read from pulumi/actions are exports of infra/index.ts', () => {
    const up: Workflow = { jobs: { deploy: { steps: [
      { id: 'up', uses: 'pulumi/actions@v7', with: { command: 'up' } },
      { run: 'echo ${{ steps.up.outputs.clusterName }} ${{ steps.up.outputs.clusterArn }}' },
    ] } } };
    expect(problems('up.yml', up)).toEqual([expect.stringContaining('sets no output "clusterArn"')]);
  });
});
