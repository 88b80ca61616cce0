import { ConfigError, loadEnvFiles, readConfig } from './config/env';
import { describeConnectionError } from './db/errors';
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
  if (err instanceof ConfigError) fail(err.message);
  const connection = describeConnectionError(err, process.env.DATABASE_URL ? 'DATABASE_URL' : 'PGLITE_DIR');
  if (connection) fail(connection);
  if ((err as { code?: string }).code === 'EADDRINUSE') fail(`port ${process.env.PORT ?? 3000} is in use. Stop the other process or set PORT.`);
  if ((err as { migration?: string }).migration) fail(`migration ${(err as { migration: string }).migration} failed: ${(err as Error).message}`);
  console.error(err);
  process.exit(1);
});
