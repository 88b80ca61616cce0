import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProgramRun, runProgram } from './engine';
import { type RunningPack, startPolicyPack } from './policyPack';

// infra/ as `pulumi preview --policy-pack infra/policy` runs it: the program through cmd/run with
// Pulumi.yaml's runtime options, every registration it sends to the (mock) engine, and the real
// policy pack analyzing each one and the whole stack.
let dev: ProgramRun;
let prod: ProgramRun;
let neon: ProgramRun;
let pack: RunningPack;
beforeAll(async () => {
  const https = { 'opsroom:domainName': 'ops.example.com', 'opsroom:hostedZoneId': 'Z0EXAMPLE', 'opsroom:imageTag': 'abc1234' };
  [dev, prod, neon, pack] = await Promise.all([
    runProgram('dev'),
    runProgram('prod', https),
    runProgram('prod', { ...https, 'opsroom:database': 'neon' }),
    startPolicyPack(),
  ]);
}, 600_000);
afterAll(() => pack?.stop());

const analyzeAll = async (run: ProgramRun) => {
  const resources = run.registrations.filter((r) => r.custom).map((r) => ({
    type: r.type, name: r.name, properties: r.wireInputs, protect: r.protect, ignoreChanges: r.ignoreChanges, parent: r.parent,
  }));
  const perResource = await Promise.all(resources.map((r) => pack.analyze(r)));
  return [...perResource.flat(), ...(await pack.analyzeStack(resources))];
};

describe('infra/ started through @pulumi/pulumi/cmd/run as the language host starts it', () => {
  const runs = [['dev', () => dev, 'aws:rds/instance:Instance'], ['prod', () => prod, 'aws:rds/instance:Instance'], ['prod on Neon', () => neon, 'pulumi-nodejs:dynamic/neon:Project']] as const;
  for (const [stack, run, database] of runs) {
    it(`${stack}: the program exits cleanly, without a warning, and registers its resources with the monitor`, () => {
      expect(run().logs.join('\n') + run().stderr).toBe('');
      expect(run().exitCode).toBe(0);
      const types = new Set(run().registrations.map((r) => r.type));
      for (const type of ['pulumi:pulumi:Stack', 'aws:ec2/vpc:Vpc', database, 'aws:ecs/service:Service', 'aws:lb/listener:Listener']) {
        expect(types, type).toContain(type);
      }
    });

    it(`${stack}: every registered resource passes every mandatory rule of the policy pack`, async () => {
      const diagnostics = await analyzeAll(run());
      expect(diagnostics.filter((d) => d.mandatory)).toEqual([]);
    });
  }

  it('prod on Neon: the dynamic provider is serialized by the program itself, as pulumi up would send it', () => {
    const [project] = neon.ofType('pulumi-nodejs:dynamic/neon:Project');
    expect(String(project.inputs.__provider)).toContain('exports.handler');
    expect(String(project.inputs.__provider)).toContain('@neondatabase/api-client');
  });

  it('the stack outputs the deploy workflow reads reach the engine', () => {
    expect(Object.keys(prod.outputs)).toEqual(expect.arrayContaining(['url', 'clusterName', 'opsTaskDefinitionArn', 'initialAdminPassword']));
    expect(prod.outputs.url).toBe('https://ops.example.com');
  });

  it('the production database is registered with protect, and its secrets go over the wire as secrets', () => {
    const [db] = prod.ofType('aws:rds/instance:Instance').filter((r) => !r.inputs.replicateSourceDb);
    expect(db.protect).toBe(true);
    expect(db.wireInputs.password).toBeUndefined();
    const [appUrl] = prod.ofType('aws:secretsmanager/secretVersion:SecretVersion').filter((v) => v.name === 'opsroom-prod-database-url');
    expect(JSON.stringify(appUrl.wireInputs.secretString)).toContain('4dabf18193072939515e22adb298388d');
  });

  it('a serving plain-HTTP listener on prod would be refused by the pack', async () => {
    const [http] = prod.ofType('aws:lb/listener:Listener').filter((l) => l.inputs.port === 80);
    const forwarding = { ...http.wireInputs, defaultActions: [{ type: 'forward', targetGroupArn: 'arn:tg' }] };
    const diagnostics = await pack.analyze({ type: http.type, name: http.name, properties: forwarding });
    expect(diagnostics.filter((d) => d.mandatory).map((d) => d.policy)).toEqual(['https-only-public-listeners']);
  });
});
