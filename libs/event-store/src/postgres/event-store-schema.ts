/**
 * The PostgreSQL event store's schema, applied in order by `migrateEventStore`. Each entry is
 * one migration; entries are never edited once released, only appended.
 *
 * Why appends are serialized: positions come from the single `event_log_head` row, which every
 * append locks until it commits. A reader can therefore never see position N+1 while N is still
 * uncommitted, so a subscriber that checkpoints "everything up to N" is never wrong about a late
 * commit. The cost is one writer at a time per database; the adapter recovers the throughput by
 * group commit (all appends waiting in the process go into one transaction).
 */
/** The table the migrations create for the log, in the database's default schema: what SQL reading the log names. */
export const LOG_TABLE = 'events';

export const EVENT_STORE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    global_position bigint PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    stream_id text NOT NULL,
    stream_revision bigint NOT NULL,
    event_type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
  );
  CREATE INDEX events_type_position ON events (event_type, global_position);

  CREATE TABLE event_commands (
    command_id text NOT NULL,
    stream_id text NOT NULL,
    last_revision bigint NOT NULL,
    last_position bigint NOT NULL,
    PRIMARY KEY (command_id, stream_id)
  );

  CREATE TABLE event_log_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    last_position bigint NOT NULL
  );
  INSERT INTO event_log_head VALUES (1, 0);

  CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'events are immutable: % is not allowed on %', TG_OP, TG_TABLE_NAME;
  END $$;
  CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_immutable();
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();

  -- Appends a batch of requests in one transaction, one round trip. Each request is
  -- {streamId, expected, commandId?, events: [{id, type, data, metadata}]}; each result is
  -- {status: appended|duplicate|conflict, revision, position}.
  CREATE FUNCTION append_events(requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
  DECLARE
    head bigint;
    request jsonb;
    command text;
    expected text;
    actual bigint;
    appended int;
    prior event_commands%ROWTYPE;
    results jsonb := '[]'::jsonb;
  BEGIN
    SELECT last_position INTO head FROM event_log_head WHERE id = 1 FOR UPDATE;
    FOR request IN SELECT value FROM jsonb_array_elements(requests) LOOP
      command := request->>'commandId';
      IF command IS NOT NULL THEN
        SELECT * INTO prior FROM event_commands
          WHERE command_id = command AND stream_id = request->>'streamId';
        IF FOUND THEN
          results := results || jsonb_build_array(jsonb_build_object(
            'status', 'duplicate', 'revision', prior.last_revision, 'position', prior.last_position::text));
          CONTINUE;
        END IF;
      END IF;

      SELECT coalesce(max(stream_revision), -1) INTO actual FROM events WHERE stream_id = request->>'streamId';
      expected := request->>'expected';
      IF NOT (expected = 'any'
              OR (expected = 'no_stream' AND actual = -1)
              OR (expected = 'stream_exists' AND actual >= 0)
              OR (expected ~ '^[0-9]+$' AND expected::bigint = actual)) THEN
        results := results || jsonb_build_array(jsonb_build_object('status', 'conflict', 'revision', actual));
        CONTINUE;
      END IF;

      INSERT INTO events (global_position, event_id, stream_id, stream_revision, event_type, data, metadata)
      SELECT head + e.ord, (e.value->>'id')::uuid, request->>'streamId', actual + e.ord,
             e.value->>'type', e.value->'data', e.value->'metadata'
        FROM jsonb_array_elements(request->'events') WITH ORDINALITY AS e(value, ord);
      appended := jsonb_array_length(request->'events');
      head := head + appended;
      actual := actual + appended;

      IF command IS NOT NULL THEN
        INSERT INTO event_commands VALUES (command, request->>'streamId', actual, head);
      END IF;
      results := results || jsonb_build_array(jsonb_build_object(
        'status', 'appended', 'revision', actual, 'position', head::text));
    END LOOP;
    UPDATE event_log_head SET last_position = head WHERE id = 1;
    RETURN results;
  END $$;
  `,
  `
  -- Tamper evidence. Each event's hash covers its stored values and the hash of the event before
  -- it, so an event edited, removed or slipped in behind append_events breaks the chain at its
  -- position. The values are hashed as PostgreSQL prints them (jsonb's canonical text, the time in
  -- microseconds): the same bytes whoever reads them, on 15 and on PGlite's 18.
  CREATE FUNCTION event_hash(previous bytea, global_position bigint, event_id uuid, stream_id text, stream_revision bigint,
                             event_type text, data jsonb, metadata jsonb, recorded_at timestamptz) RETURNS bytea
    LANGUAGE sql STABLE
    RETURN sha256(previous || convert_to(json_build_array(global_position, event_id, stream_id, stream_revision, event_type, data, metadata,
                                                          (extract(epoch FROM recorded_at) * 1000000)::bigint)::text, 'UTF8'));

  ALTER TABLE events ADD COLUMN hash bytea;
  -- The chain starts from the empty string.
  ALTER TABLE event_log_head ADD COLUMN last_hash bytea NOT NULL DEFAULT ''::bytea;

  -- Events written before this migration get their chain now: the one time the trigger steps aside.
  ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete;
  DO $chain$
  DECLARE
    previous bytea := ''::bytea;
    e events%ROWTYPE;
  BEGIN
    FOR e IN SELECT * FROM events ORDER BY global_position LOOP
      previous := event_hash(previous, e.global_position, e.event_id, e.stream_id, e.stream_revision, e.event_type, e.data, e.metadata, e.recorded_at);
      UPDATE events SET hash = previous WHERE global_position = e.global_position;
    END LOOP;
    UPDATE event_log_head SET last_hash = previous WHERE id = 1;
  END $chain$;
  ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete;
  ALTER TABLE events ALTER COLUMN hash SET NOT NULL;

  -- As before, and each event now chained to the one before it.
  CREATE OR REPLACE FUNCTION append_events(requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
  DECLARE
    head bigint;
    chain bytea;
    hashes bytea[];
    request jsonb;
    stream text;
    event jsonb;
    command text;
    expected text;
    actual bigint;
    prior event_commands%ROWTYPE;
    results jsonb := '[]'::jsonb;
  BEGIN
    SELECT last_position, last_hash INTO head, chain FROM event_log_head WHERE id = 1 FOR UPDATE;
    FOR request IN SELECT value FROM jsonb_array_elements(requests) LOOP
      stream := request->>'streamId';
      command := request->>'commandId';
      IF command IS NOT NULL THEN
        SELECT * INTO prior FROM event_commands WHERE command_id = command AND stream_id = stream;
        IF FOUND THEN
          results := results || jsonb_build_array(jsonb_build_object(
            'status', 'duplicate', 'revision', prior.last_revision, 'position', prior.last_position::text));
          CONTINUE;
        END IF;
      END IF;

      SELECT coalesce(max(stream_revision), -1) INTO actual FROM events WHERE stream_id = stream;
      expected := request->>'expected';
      IF NOT (expected = 'any'
              OR (expected = 'no_stream' AND actual = -1)
              OR (expected = 'stream_exists' AND actual >= 0)
              OR (expected ~ '^[0-9]+$' AND expected::bigint = actual)) THEN
        results := results || jsonb_build_array(jsonb_build_object('status', 'conflict', 'revision', actual));
        CONTINUE;
      END IF;

      -- The hashes first (each needs the one before), then one INSERT for the request's events, as
      -- before the chain: an INSERT per event halved the rate of large appends.
      hashes := '{}';
      FOR event IN SELECT value FROM jsonb_array_elements(request->'events') LOOP
        chain := event_hash(chain, head + cardinality(hashes) + 1, (event->>'id')::uuid, stream, actual + cardinality(hashes) + 1,
                            event->>'type', event->'data', event->'metadata', now());
        hashes := array_append(hashes, chain);
      END LOOP;
      INSERT INTO events (global_position, event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at, hash)
      SELECT head + e.ord, (e.value->>'id')::uuid, stream, actual + e.ord, e.value->>'type', e.value->'data', e.value->'metadata', now(), hashes[e.ord]
        FROM jsonb_array_elements(request->'events') WITH ORDINALITY AS e(value, ord);
      head := head + cardinality(hashes);
      actual := actual + cardinality(hashes);

      IF command IS NOT NULL THEN
        INSERT INTO event_commands VALUES (command, stream, actual, head);
      END IF;
      results := results || jsonb_build_array(jsonb_build_object(
        'status', 'appended', 'revision', actual, 'position', head::text));
    END LOOP;
    UPDATE event_log_head SET last_position = head, last_hash = chain WHERE id = 1;
    RETURN results;
  END $$;
  `,
  `
  -- Least privilege: the application's role, when it is not the owner, appends only through this
  -- function, which runs as the owner. Its search_path is pinned to this schema (pg_temp last), so
  -- a caller's own objects cannot stand in for the tables it writes.
  ALTER FUNCTION append_events(jsonb) SECURITY DEFINER;
  DO $pin$ BEGIN
    EXECUTE format('ALTER FUNCTION append_events(jsonb) SET search_path = %I, pg_temp', current_schema());
  END $pin$;
  REVOKE EXECUTE ON FUNCTION append_events(jsonb) FROM PUBLIC;
  `,
  `
  -- Appends to several streams that must succeed or fail together (one fact each stream shows)
  -- join the group commit instead of a transaction of their own: their requests, side by side in
  -- the batch, carry the same "together" number. All are checked before the first is written, with
  -- the log's head locked, so none is written unless every one can be; one that cannot reports
  -- its conflict, the others "withdrawn". Otherwise as before.
  CREATE FUNCTION expected_revision_holds(expected text, actual bigint) RETURNS boolean LANGUAGE sql IMMUTABLE
    RETURN expected = 'any'
        OR (expected = 'no_stream' AND actual = -1)
        OR (expected = 'stream_exists' AND actual >= 0)
        OR (expected ~ '^[0-9]+$' AND expected::bigint = actual);

  CREATE OR REPLACE FUNCTION append_events(requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
  DECLARE
    head bigint;
    chain bytea;
    hashes bytea[];
    request jsonb;
    member jsonb;
    stream text;
    event jsonb;
    command text;
    actual bigint;
    together text;
    checked text[] := '{}';
    refused text[] := '{}';
    conflicts jsonb := '{}'::jsonb;
    prior event_commands%ROWTYPE;
    results jsonb := '[]'::jsonb;
  BEGIN
    SELECT last_position, last_hash INTO head, chain FROM event_log_head WHERE id = 1 FOR UPDATE;
    FOR request IN SELECT value FROM jsonb_array_elements(requests) LOOP
      stream := request->>'streamId';
      command := request->>'commandId';
      together := request->>'together';

      IF together IS NOT NULL AND NOT together = ANY(checked) THEN
        checked := array_append(checked, together);
        FOR member IN SELECT value FROM jsonb_array_elements(requests) WHERE value->>'together' = together LOOP
          CONTINUE WHEN member->>'commandId' IS NOT NULL
            AND EXISTS (SELECT 1 FROM event_commands WHERE command_id = member->>'commandId' AND stream_id = member->>'streamId');
          SELECT coalesce(max(stream_revision), -1) INTO actual FROM events WHERE stream_id = member->>'streamId';
          IF NOT expected_revision_holds(member->>'expected', actual) THEN
            refused := array_append(refused, together);
            conflicts := conflicts || jsonb_build_object(member->>'streamId', actual);
          END IF;
        END LOOP;
      END IF;
      IF together IS NOT NULL AND together = ANY(refused) THEN
        results := results || jsonb_build_array(CASE WHEN conflicts ? stream
          THEN jsonb_build_object('status', 'conflict', 'revision', (conflicts->>stream)::bigint)
          ELSE jsonb_build_object('status', 'withdrawn') END);
        CONTINUE;
      END IF;

      IF command IS NOT NULL THEN
        SELECT * INTO prior FROM event_commands WHERE command_id = command AND stream_id = stream;
        IF FOUND THEN
          results := results || jsonb_build_array(jsonb_build_object(
            'status', 'duplicate', 'revision', prior.last_revision, 'position', prior.last_position::text));
          CONTINUE;
        END IF;
      END IF;

      SELECT coalesce(max(stream_revision), -1) INTO actual FROM events WHERE stream_id = stream;
      IF NOT expected_revision_holds(request->>'expected', actual) THEN
        results := results || jsonb_build_array(jsonb_build_object('status', 'conflict', 'revision', actual));
        CONTINUE;
      END IF;

      hashes := '{}';
      FOR event IN SELECT value FROM jsonb_array_elements(request->'events') LOOP
        chain := event_hash(chain, head + cardinality(hashes) + 1, (event->>'id')::uuid, stream, actual + cardinality(hashes) + 1,
                            event->>'type', event->'data', event->'metadata', now());
        hashes := array_append(hashes, chain);
      END LOOP;
      INSERT INTO events (global_position, event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at, hash)
      SELECT head + e.ord, (e.value->>'id')::uuid, stream, actual + e.ord, e.value->>'type', e.value->'data', e.value->'metadata', now(), hashes[e.ord]
        FROM jsonb_array_elements(request->'events') WITH ORDINALITY AS e(value, ord);
      head := head + cardinality(hashes);
      actual := actual + cardinality(hashes);

      IF command IS NOT NULL THEN
        INSERT INTO event_commands VALUES (command, stream, actual, head);
      END IF;
      results := results || jsonb_build_array(jsonb_build_object(
        'status', 'appended', 'revision', actual, 'position', head::text));
    END LOOP;
    UPDATE event_log_head SET last_position = head, last_hash = chain WHERE id = 1;
    RETURN results;
  END $$;
  -- CREATE OR REPLACE resets what the least-privilege migration set; ownership and grants stay.
  ALTER FUNCTION append_events(jsonb) SECURITY DEFINER;
  DO $pin$ BEGIN
    EXECUTE format('ALTER FUNCTION append_events(jsonb) SET search_path = %I, pg_temp', current_schema());
  END $pin$;
  `,
];
