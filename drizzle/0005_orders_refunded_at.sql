-- opsroom:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS "orders_refunded_at_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "orders_refunded_at_idx" ON "orders" USING btree ("refunded_at") WHERE "orders"."status" = 'refunded';
