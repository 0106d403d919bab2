/** Bumped whenever SCHEMA changes incompatibly; an older file is refused, never rewritten. */
export const SCHEMA_VERSION = 1;

/**
 * All times are microseconds since the Unix epoch (Jaeger's unit); the exact
 * nanoseconds stay in the span body. `spans.row` grows with ingest order,
 * which retention relies on: it deletes "every row up to N".
 */
export const SCHEMA = `
CREATE TABLE resources (
  id      INTEGER PRIMARY KEY,
  body    TEXT NOT NULL UNIQUE,  -- JSON ResourceRecord: OTLP resource + schemaUrl + service
  service TEXT NOT NULL
);

-- Resource attributes, for tag search (Jaeger's process tags).
CREATE TABLE resource_tags (
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  PRIMARY KEY (key, value, resource_id)
) WITHOUT ROWID;

CREATE TABLE spans (
  row            INTEGER PRIMARY KEY,
  trace_id       TEXT NOT NULL,     -- 32 lowercase hex digits
  span_id        TEXT NOT NULL,     -- 16 lowercase hex digits
  parent_span_id TEXT NOT NULL,     -- '' for a root span
  resource_id    INTEGER NOT NULL,
  service        TEXT NOT NULL,
  name           TEXT NOT NULL,
  kind           INTEGER NOT NULL,  -- OTLP SpanKind
  start_us       INTEGER NOT NULL,
  duration_us    INTEGER NOT NULL,
  error          INTEGER NOT NULL,  -- 1 when the status is ERROR
  scope          TEXT NOT NULL,     -- JSON ScopeRecord
  body           TEXT NOT NULL      -- JSON of the normalised OTLP span
);
CREATE INDEX spans_by_trace ON spans (trace_id, span_id);
CREATE INDEX spans_by_service ON spans (service, start_us);
CREATE INDEX spans_by_operation ON spans (service, name, start_us);
CREATE INDEX spans_by_start ON spans (start_us);

-- Span and event attributes plus the tags Jaeger derives (span.kind, error,
-- otel.status_code, otel.scope.name), for tag search. Keyed by span row
-- first so retention deletes a range; the second index serves search.
CREATE TABLE span_tags (
  span_row INTEGER NOT NULL,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (span_row, key, value)
) WITHOUT ROWID;
CREATE INDEX span_tags_by_value ON span_tags (key, value);

CREATE TABLE operations (
  service TEXT NOT NULL,
  name    TEXT NOT NULL,
  kind    INTEGER NOT NULL,
  PRIMARY KEY (service, name, kind)
) WITHOUT ROWID;

-- One row per committed ingest transaction: its last span row and when it
-- arrived, so age-based retention finds its cutoff row without a scan.
CREATE TABLE ingests (
  row_end     INTEGER PRIMARY KEY,
  received_us INTEGER NOT NULL
);
CREATE INDEX ingests_by_time ON ingests (received_us);
`;
