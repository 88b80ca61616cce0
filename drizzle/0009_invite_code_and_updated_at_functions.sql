-- In the database rather than only in the server, so an app writing users directly gets an invite
-- code, and any write that leaves updated_at alone still moves it. The alphabet has no 0/O or 1/I/L.
CREATE OR REPLACE FUNCTION generate_invite_code() RETURNS text
LANGUAGE sql VOLATILE AS $$
  SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + floor(random() * 31)::int, 1), '')
  FROM generate_series(1, 8)
$$;--> statement-breakpoint
-- A writer that sets updated_at itself (the console's edits do, to the millisecond) keeps its value.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;
