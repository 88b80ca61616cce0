import { defineConfig } from 'drizzle-kit';

// opsroom's own tables on an adopted MySQL/MariaDB database (server/src/adopt/mysql/README.md).
// Generate with: npx drizzle-kit generate --config drizzle.opsroom-mysql.config.ts --name <what>
export default defineConfig({
  dialect: 'mysql',
  schema: './server/src/adopt/mysql/opsroomSchema.ts',
  out: './drizzle-opsroom-mysql',
  strict: true,
  verbose: true,
});
