-- audit_head follows every row appended past it, inside the appending statement. An append
-- is then one statement, `INSERT … SELECT … WHERE` the head is the one the new rows chain
-- onto: the head check and the head move commit together with the rows, and two appenders
-- that chained onto the same head collide on `seq` (the primary key) instead of forking the
-- chain. Rows put back below the head (a restore by hand) leave it where it is.
CREATE FUNCTION audit_head_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1 AND seq < NEW.seq;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_head_follows();
