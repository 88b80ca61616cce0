import { loadEnvFiles, readConfig } from './config/env';
import { describeFailure } from './db/errors';
import { ResourceDefinitionError } from './resources/model';
import { startServer } from './server';

function fail(line: string): never {
  console.error(`opsroom: ${line}`);
  process.exit(1);
}

async function main() {
  loadEnvFiles();
  const config = readConfig();
  const embedded = config.database.driver === 'pglite';
  const running = await startServer({
    config,
    demo: embedded,
    console: true,
    consoleInBackground: true,
    print: (line) => console.log(line),
  });
  console.log(`opsroom ${config.environment} on ${embedded ? `embedded PGlite (${(config.database as { dir: string }).dir})` : config.database.driver}`);
  console.log(`opsroom listening on ${running.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`opsroom: ${signal} received, finishing in-flight requests`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ResourceDefinitionError) fail(err.message);
  const line = describeFailure(err);
  if (line) fail(line);
  if ((err as { code?: string }).code === 'EADDRINUSE') fail(`port ${process.env.PORT ?? 3000} is in use. Stop the other process or set PORT.`);
  console.error(err);
  process.exit(1);
});
