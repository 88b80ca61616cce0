ALTER TABLE "approval_requests" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
-- opsroom:lint-accept create-index-non-concurrent approval_requests gets one row per action held for a second admin, small next to any app table
CREATE UNIQUE INDEX "approval_requests_idempotency_key_idx" ON "approval_requests" USING btree ("idempotency_key");