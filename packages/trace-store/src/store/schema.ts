/**
 * Bumped whenever the schema changes. A file from a newer version, or an
 * older one without an additive upgrade in UPGRADES, is refused, never
 * rewritten.
 */
export const SCHEMA_VERSION = 3;

/** Version 2: OTLP log records. */
const LOGS_SCHEMA = `
-- OTLP log records. A record outside any trace has trace_id ''. Resources
-- are shared with spans (the same process exports both).
CREATE TABLE logs (
  row             INTEGER PRIMARY KEY,
  trace_id        TEXT NOT NULL,     -- '' or 32 lowercase hex digits
  span_id         TEXT NOT NULL,     -- '' or 16 lowercase hex digits
  time_us         INTEGER NOT NULL,  -- event time, else observed time, else received time
  severity_number INTEGER NOT NULL,  -- OTLP SeverityNumber
  severity_text   TEXT NOT NULL,
  resource_id     INTEGER NOT NULL,
  service         TEXT NOT NULL,
  scope           TEXT NOT NULL,     -- JSON ScopeRecord
  body            TEXT NOT NULL      -- JSON of the normalised OTLP log record
);
CREATE INDEX logs_by_trace ON logs (trace_id, time_us);

-- As ingests, for log rows.
CREATE TABLE log_ingests (
  row_end     INTEGER PRIMARY KEY,
  received_us INTEGER NOT NULL
);
CREATE INDEX log_ingests_by_time ON log_ingests (received_us);
`;

/**
 * Version 3: where each span sat in its export, so api_v3 answers group a
 * trace's spans as Jaeger's storage does (one ResourceSpans per resource of
 * each export, one ScopeSpans per scope in it). Rows of older versions read 0
 * and are grouped by resource and scope instead.
 */
const CHUNKS_SCHEMA = `
ALTER TABLE spans ADD COLUMN resource_chunk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spans ADD COLUMN scope_chunk INTEGER NOT NULL DEFAULT 0;
`;

/**
 * All times are microseconds since the Unix epoch (Jaeger's unit); the exact
 * nanoseconds stay in the span body. `spans.row` and `logs.row` grow with
 * ingest order, which retention relies on: it deletes "every row up to N".
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
  body           TEXT NOT NULL,     -- JSON of the normalised OTLP span
  resource_chunk INTEGER NOT NULL DEFAULT 0,  -- row of the first span of its export's ResourceSpans
  scope_chunk    INTEGER NOT NULL DEFAULT 0   -- row of the first span of its export's ScopeSpans
);
CREATE INDEX spans_by_trace ON spans (trace_id, span_id);
CREATE INDEX spans_by_service ON spans (service, start_us);
CREATE INDEX spans_by_operation ON spans (service, name, start_us);
CREATE INDEX spans_by_start ON spans (start_us);

-- Span, scope and event attributes plus the tags Jaeger derives (span.kind,
-- error, otel.status_code, otel.scope.name, event), for tag search. Keyed by span row
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
${LOGS_SCHEMA}`;

/**
 * Upgrades in place from an older version, keyed by that version. Only
 * additive changes (new tables, new indexes) belong here, so a file of
 * version 1 gains the logs tables and keeps its spans, and one of version 2
 * gains the export-position columns.
 */
export const UPGRADES: Record<number, string> = { 1: LOGS_SCHEMA, 2: CHUNKS_SCHEMA };
