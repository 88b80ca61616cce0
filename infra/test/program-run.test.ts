import { beforeAll, describe, expect, it } from 'vitest';
import { runProgram, type ProgramRun } from './engine';

let dev: ProgramRun;
beforeAll(async () => {
  dev = await runProgram('dev');
}, 180_000);

describe('infra/ started through @pulumi/pulumi/cmd/run as the language host starts it', () => {
  it('the program exits cleanly and registers its resources with the monitor', () => {
    expect(dev.logs.join('\n') + dev.stderr).toBe('');
    expect(dev.exitCode).toBe(0);
    expect(dev.registrations.length).toBeGreaterThan(20);
  });
});
