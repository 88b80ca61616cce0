CREATE TABLE `opsroom_audit_log` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`actor_id` int,
	`actor_email` varchar(320),
	`action` varchar(100) NOT NULL,
	`resource` varchar(200) NOT NULL,
	`record_id` varchar(500),
	`before` json,
	`after` json,
	`ip` varchar(100),
	`request_id` varchar(100),
	`approved_by_id` int,
	`approved_by_email` varchar(320),
	`reverts_id` bigint,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `opsroom_audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `opsroom_idempotency_keys` (
	`key` varchar(512) NOT NULL,
	`operator_id` int,
	`request` json NOT NULL,
	`response` json NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `opsroom_idempotency_keys_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
CREATE TABLE `opsroom_login_attempts` (
	`id` int AUTO_INCREMENT NOT NULL,
	`email` varchar(320) NOT NULL,
	`ip` varchar(100) NOT NULL,
	`succeeded` boolean NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `opsroom_login_attempts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `opsroom_operator_sessions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`token` varchar(64) NOT NULL,
	`operator_id` int NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`ip` varchar(100),
	`user_agent` varchar(500),
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `opsroom_operator_sessions_id` PRIMARY KEY(`id`),
	CONSTRAINT `opsroom_operator_sessions_token_unique` UNIQUE(`token`)
);
--> statement-breakpoint
CREATE TABLE `opsroom_operators` (
	`id` int AUTO_INCREMENT NOT NULL,
	`email` varchar(320) NOT NULL,
	`name` varchar(320),
	`role` enum('support','admin') NOT NULL DEFAULT 'support',
	`password_hash` text,
	`disabled` boolean NOT NULL DEFAULT false,
	`created_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `opsroom_operators_id` PRIMARY KEY(`id`),
	CONSTRAINT `opsroom_operators_email_unique` UNIQUE(`email`)
);
--> statement-breakpoint
ALTER TABLE `opsroom_audit_log` ADD CONSTRAINT `opsroom_audit_log_actor_id_opsroom_operators_id_fk` FOREIGN KEY (`actor_id`) REFERENCES `opsroom_operators`(`id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `opsroom_idempotency_keys` ADD CONSTRAINT `opsroom_idempotency_keys_operator_id_opsroom_operators_id_fk` FOREIGN KEY (`operator_id`) REFERENCES `opsroom_operators`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `opsroom_operator_sessions` ADD CONSTRAINT `opsroom_operator_sessions_operator_id_opsroom_operators_id_fk` FOREIGN KEY (`operator_id`) REFERENCES `opsroom_operators`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `opsroom_audit_log_resource_record_idx` ON `opsroom_audit_log` (`resource`,`record_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `opsroom_audit_log_created_at_idx` ON `opsroom_audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `opsroom_login_attempts_email_idx` ON `opsroom_login_attempts` (`email`,`created_at`);--> statement-breakpoint
CREATE INDEX `opsroom_login_attempts_ip_idx` ON `opsroom_login_attempts` (`ip`,`created_at`);--> statement-breakpoint
CREATE INDEX `opsroom_operator_sessions_expires_at_idx` ON `opsroom_operator_sessions` (`expires_at`);