-- A new ticket's row is written once. Before, the first message's trigger updated the ticket it had
-- just been inserted with, and since the search vectors are indexed, that update was a second row
-- version in every one of the ticket's indexes, in every new ticket. Now the insert may bring its
-- first message's words (openTicket does), and the message trigger leaves a ticket alone when the
-- message adds no word it lacks.
CREATE OR REPLACE FUNCTION portico_search_words(body text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT strip(to_tsvector('english', left(body, 100000)))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portico_ticket_search_from_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Words the insert brings are its first message's, which is the customer's and so public.
    NEW.search_all := strip(to_tsvector('english', NEW.subject || ' ' || NEW.number))
      || coalesce(NEW.search_all, ''::tsvector);
    NEW.search_public := NEW.search_all;
  ELSE
    -- A renamed ticket stays findable by its old subject too.
    NEW.search_all := NEW.search_all || strip(to_tsvector('english', NEW.subject));
    NEW.search_public := NEW.search_public || strip(to_tsvector('english', NEW.subject));
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portico_ticket_search_from_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  words tsvector := portico_search_words(NEW.body_text);
BEGIN
  UPDATE tickets SET
    search_all = search_all || words,
    search_public = CASE WHEN NEW.kind = 'note' THEN search_public ELSE search_public || words END
  WHERE id = NEW.ticket_id
    AND (search_all || words <> search_all
      OR (NEW.kind <> 'note' AND search_public || words <> search_public));
  RETURN NULL;
EXCEPTION WHEN program_limit_exceeded THEN
  -- A thread past the tsvector size limit stays findable by everything indexed so far.
  RETURN NULL;
END $$;
