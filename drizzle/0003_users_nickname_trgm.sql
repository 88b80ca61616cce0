-- opsroom:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS "users_nickname_trgm_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "users_nickname_trgm_idx" ON "users" USING gin ("nickname" gin_trgm_ops);
