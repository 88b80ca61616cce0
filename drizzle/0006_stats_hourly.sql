CREATE TABLE "stats_hourly" (
	"hour" timestamp (3) with time zone PRIMARY KEY NOT NULL,
	"paid_amount" bigint DEFAULT 0 NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"signups" integer DEFAULT 0 NOT NULL,
	"generations" integer DEFAULT 0 NOT NULL,
	"credits_granted" bigint DEFAULT 0 NOT NULL,
	"credits_spent" bigint DEFAULT 0 NOT NULL,
	"generations_by_status" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"generations_by_provider" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"computed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
