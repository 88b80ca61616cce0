#!/usr/bin/env node
// `npm start`: runs the server from its bundle (start/serverBundle.mjs), rebuilt first when the
// sources changed since `npm install` built it. Without esbuild it runs the sources through tsx.
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { ensureServerBundle, SERVER_BUNDLE, SERVER_ENTRY } from './start/serverBundle.mjs';

// Node 22.1+ keeps V8's compiled code for the bundle and its packages between starts (in the OS
// temp folder, or NODE_COMPILE_CACHE); Node 20 has no such API.
module.enableCompileCache?.();
// The embedded PGlite is the only WebAssembly a server runs. V8 first compiles its functions
// with Liftoff and recompiles the busy ones with TurboFan in the background; at boot that
// recompilation fights the start for the CPU and the code-space lock (~0.4 s of a warm start's
// wall time on 2 cores, part of it a pause after "listening"). Liftoff alone serves the demo
// database with queries ~10-15 % slower once warm. PostgreSQL and MySQL starts run no wasm. A wasm
// flag given to node itself (`node --no-liftoff-only scripts/start.mjs`) wins.
if (!process.execArgv.some((arg) => /liftoff|wasm-tier/.test(arg))) v8.setFlagsFromString('--liftoff-only');

// Stack traces in the logs point at the TypeScript sources, not at the bundle.
process.setSourceMapsEnabled(true);
let entry = SERVER_BUNDLE;
try {
  if ((await ensureServerBundle()) === 'built') console.log('start: bundled the server into dist/server');
} catch (err) {
  console.log(`start: could not bundle the server (${err.message.split('\n')[0]}); running its sources through tsx`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = SERVER_ENTRY;
}
await import(pathToFileURL(entry).href);
