ALTER TABLE "opsroom"."audit_log" ADD COLUMN "approved_by_id" integer;--> statement-breakpoint
ALTER TABLE "opsroom"."audit_log" ADD COLUMN "approved_by_email" text;--> statement-breakpoint
ALTER TABLE "opsroom"."audit_log" ADD COLUMN "reverts_id" bigint;