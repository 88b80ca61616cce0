-- opsroom:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS "sessions_active_organization_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "sessions_active_organization_id_idx" ON "sessions" USING btree ("active_organization_id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "sessions_active_team_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "sessions_active_team_id_idx" ON "sessions" USING btree ("active_team_id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "generations_asset_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "generations_asset_id_idx" ON "generations" USING btree ("asset_id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "xp_transactions_generation_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "xp_transactions_generation_id_idx" ON "xp_transactions" USING btree ("generation_id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "invitations_team_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "invitations_team_id_idx" ON "invitations" USING btree ("team_id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "organizations_owner_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "organizations_owner_id_idx" ON "organizations" USING btree ("owner_id");
