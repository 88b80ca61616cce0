import { defineConfig } from 'drizzle-kit';

// The `opsroom` schema's own migration set, applied only on an adopted database (OPSROOM_ADOPT).
// Generate with: npx drizzle-kit generate --config drizzle.opsroom.config.ts --name <what>
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/adopt/schema.ts',
  out: './drizzle-opsroom',
  migrations: { schema: 'opsroom', table: '__migrations' },
  strict: true,
  verbose: true,
});
