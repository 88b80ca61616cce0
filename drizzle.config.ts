import { defineConfig } from 'drizzle-kit';
import { databaseUrlVariable, loadEnvFiles } from './server/src/config/env';

// Same .env files and the same database as the server: DATABASE_URL (or POSTGRES_URL) when set, otherwise the
// embedded PGlite data folder that `npm start` uses (PGLITE_DIR, default ./.data/pglite).
loadEnvFiles();
const variable = databaseUrlVariable();
const url = variable && process.env[variable]!.trim();

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema/index.ts',
  out: './drizzle',
  ...(url
    ? { dbCredentials: { url } }
    : { driver: 'pglite' as const, dbCredentials: { url: process.env.PGLITE_DIR || './.data/pglite' } }),
  strict: true,
  verbose: true,
});
