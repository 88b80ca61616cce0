#!/usr/bin/env node
// `npm start`: runs the server from its bundle (start/serverBundle.mjs), rebuilt first when the
// sources changed since `npm install` built it. Without esbuild it runs the sources through tsx.
import { pathToFileURL } from 'node:url';
import { ensureServerBundle, SERVER_BUNDLE, SERVER_ENTRY } from './start/serverBundle.mjs';

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
