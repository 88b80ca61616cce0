-- drizzle-kit never emits CREATE EXTENSION; the trigram indexes in the next migration need it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
