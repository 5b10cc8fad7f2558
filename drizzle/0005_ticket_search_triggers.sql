-- Keep tickets.search_all (everything) and tickets.search_public (no internal notes) current.
-- Positions are stripped: the queue filters by match and orders by activity, never by rank, and
-- stripped vectors stay far below tsvector's 1 MB limit.
CREATE OR REPLACE FUNCTION portico_ticket_search_from_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.search_all := strip(to_tsvector('english', NEW.subject || ' ' || NEW.number));
    NEW.search_public := NEW.search_all;
  ELSE
    -- A renamed ticket stays findable by its old subject too.
    NEW.search_all := NEW.search_all || strip(to_tsvector('english', NEW.subject));
    NEW.search_public := NEW.search_public || strip(to_tsvector('english', NEW.subject));
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_search_from_ticket
  BEFORE INSERT OR UPDATE OF subject ON tickets
  FOR EACH ROW EXECUTE FUNCTION portico_ticket_search_from_ticket();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portico_ticket_search_from_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  words tsvector := strip(to_tsvector('english', left(NEW.body_text, 100000)));
BEGIN
  UPDATE tickets SET
    search_all = search_all || words,
    search_public = CASE WHEN NEW.kind = 'note' THEN search_public ELSE search_public || words END
  WHERE id = NEW.ticket_id;
  RETURN NULL;
EXCEPTION WHEN program_limit_exceeded THEN
  -- A thread past the tsvector size limit stays findable by everything indexed so far.
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_search
  AFTER INSERT ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION portico_ticket_search_from_message();
--> statement-breakpoint
UPDATE tickets t SET
  search_all = strip(to_tsvector('english', t.subject || ' ' || t.number))
    || coalesce((SELECT strip(to_tsvector('english', string_agg(left(m.body_text, 100000), ' ')))
                 FROM ticket_messages m WHERE m.ticket_id = t.id), ''::tsvector),
  search_public = strip(to_tsvector('english', t.subject || ' ' || t.number))
    || coalesce((SELECT strip(to_tsvector('english', string_agg(left(m.body_text, 100000), ' ')))
                 FROM ticket_messages m WHERE m.ticket_id = t.id AND m.kind <> 'note'), ''::tsvector);
