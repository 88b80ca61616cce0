-- Every server task caches live sessions in memory; these triggers tell all of them, through
-- NOTIFY opsroom_sessions, the moment a session stops being valid, whoever changed the row: the
-- API, a CLI, a use case ending a user's sessions, or someone in psql (a session row updated or
-- deleted, a user's role, ban, email or name changed). The payload is the user id
-- ('*' for TRUNCATE): listeners drop that user's cached sessions and read them again.
CREATE OR REPLACE FUNCTION opsroom_notify_session_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('opsroom_sessions', OLD.user_id::text);
  ELSE
    PERFORM pg_notify('opsroom_sessions', NEW.id::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION opsroom_notify_sessions_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('opsroom_sessions', '*');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_changed_notify AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION opsroom_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER sessions_truncated_notify AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION opsroom_notify_sessions_truncated();
--> statement-breakpoint
-- Only changes to what a cached session carries (who the operator is and may do) notify.
CREATE TRIGGER users_access_changed_notify AFTER UPDATE ON users
  FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.banned IS DISTINCT FROM NEW.banned
        OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION opsroom_notify_session_user();
