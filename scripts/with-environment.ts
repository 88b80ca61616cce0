#!/usr/bin/env tsx
/**
 * `tsx scripts/with-environment.ts <environment> <command> [args…]`: runs the command with
 * ENVIRONMENT set, so it loads `.env.<environment>.local` first (the `:staging` / `:prod` scripts).
 */
import { spawn } from 'node:child_process';

const [environment, command, ...args] = process.argv.slice(2);
if (!environment || !command || environment === '--help') {
  console.log('Usage: tsx scripts/with-environment.ts <environment> <command> [args…]\n\nRuns <command> with ENVIRONMENT=<environment>; every db script then loads .env.<environment>.local first.');
  process.exit(environment === '--help' ? 0 : 1);
}
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ENVIRONMENT: environment } });
child.on('error', (err) => {
  console.error(`with-environment: could not start ${command}: ${err.message}`);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
