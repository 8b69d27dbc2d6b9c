-- Issue 14, ingest at 10M: the foreign key excerpt.workspace_id → workspace checked every inserted row on
-- its own (one locking lookup of the same workspace row per excerpt): 5.7 s of every million imported rows,
-- 18% of the import's INSERT, for a parent table of a handful of rows. The same guarantees, per statement:
--   * an insert checks the statement's distinct workspace ids once, locking each workspace row FOR KEY SHARE
--     as the foreign key did (a concurrent delete of that workspace waits for the inserting transaction;
--     one that committed first makes the insert fail), with the foreign key's error code and message;
--   * an excerpt never moves to another workspace (no code does; refusing it keeps the check insert-only);
--   * deleting a workspace deletes its excerpts (the old ON DELETE CASCADE), whose own dependents cascade
--     as before; a workspace id never changes (the old ON UPDATE CASCADE was never used).
ALTER TABLE "excerpt" DROP CONSTRAINT "excerpt_workspace_id_fkey";

CREATE FUNCTION excerpt_workspace_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing int;
BEGIN
  PERFORM 1 FROM workspace w WHERE w.id IN (SELECT DISTINCT workspace_id FROM new_rows) FOR KEY SHARE OF w;
  SELECT n.workspace_id INTO missing
  FROM (SELECT DISTINCT workspace_id FROM new_rows) n
  WHERE NOT EXISTS (SELECT 1 FROM workspace w WHERE w.id = n.workspace_id)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "excerpt" violates foreign key constraint "excerpt_workspace_id_fkey"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'excerpt_workspace_id_fkey', TABLE = 'excerpt',
            DETAIL = format('Key (workspace_id)=(%s) is not present in table "workspace".', missing);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER excerpt_workspace_exists AFTER INSERT ON excerpt
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION excerpt_workspace_exists();

CREATE FUNCTION excerpt_workspace_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.workspace_id IS DISTINCT FROM OLD.workspace_id THEN
    RAISE EXCEPTION 'an excerpt cannot move to another workspace (excerpt %)', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER excerpt_workspace_is_fixed BEFORE UPDATE OF workspace_id ON excerpt
  FOR EACH ROW EXECUTE FUNCTION excerpt_workspace_is_fixed();

CREATE FUNCTION workspace_delete_excerpts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM excerpt WHERE workspace_id = OLD.id;
  RETURN NULL;
END $$;
CREATE TRIGGER workspace_delete_excerpts AFTER DELETE ON workspace
  FOR EACH ROW EXECUTE FUNCTION workspace_delete_excerpts();

CREATE FUNCTION workspace_id_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id THEN
    RAISE EXCEPTION 'a workspace id cannot change (workspace %)', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER workspace_id_is_fixed BEFORE UPDATE OF id ON workspace
  FOR EACH ROW EXECUTE FUNCTION workspace_id_is_fixed();

-- Unused since search pages by when a line was said (excerpt_workspace_said_idx) and the team report
-- counts arrivals from excerpt_added_hourly: one B-tree less to maintain per imported row (~250 MB at 10M).
DROP INDEX "excerpt_workspace_id_created_at_idx";
