/**
 * The store's SQLite schema. Bumped whenever it changes. A file of an older
 * version is refused with the command that converts it (store/convert.ts);
 * a file of a newer one is refused too. Neither is ever rewritten in place.
 *
 * Version 4 ("store v2") keeps spans in chunks: the spans of one trace that
 * arrived in one export request, as one row with a binary body
 * (proto/tracelens/store/v1/chunk.proto). Versions 1 to 3 kept a row and a
 * JSON body per span and a row per searchable attribute. Version 5 keeps the
 * RED rollups per minute as well as per 10 s (metrics/rollup.ts).
 *
 * Times in columns are microseconds since the Unix epoch (Jaeger's unit);
 * exact nanoseconds are in the chunk bodies. Span positions count every span
 * ever ingested, from 1; they only grow, so "everything up to position N" is
 * what retention removes.
 */
export const SCHEMA_VERSION = 5;

/**
 * Big pages: a chunk of a typical trace is 1 to 4 KiB, and with the default
 * 4 KiB pages most chunks would take a page of their own (measured: 414 bytes
 * per span at 4 KiB, 238 at 16 KiB, and the writer twice as fast). Only
 * takes effect before the first table is created.
 */
export const PAGE_SIZE = 16384;

/**
 * Chunk ids are grouped in buckets of this many span positions (2^18) in the
 * trace-id index, so the index entries one commit adds land in the recent
 * part of the index instead of all over it: measured at 10M spans, the
 * writer keeps its speed (450k spans/s) where an index on the trace id alone
 * fell to 120k spans/s. A lookup by trace id probes each bucket.
 */
export const BUCKET_SHIFT = 18;

/**
 * A block's bloom filter has a fixed size, so each commit sets the bits of
 * its new terms and rewrites 8 KiB, and the block is sealed once it holds
 * BLOCK_FILTER_BYTES × 8 / BLOCK_BITS_PER_TERM distinct terms (5,461: a few
 * thousand spans of the bench's traces) or BLOCK_MAX_CHUNKS chunks.
 */
export const BLOCK_FILTER_BYTES = 8192;
export const BLOCK_MAX_CHUNKS = 2048;

/** The RED rollups' table, apart so that the upgrade from version 4 (upgrade-v4.ts) makes it as a new file has it. */
export const ROLLUPS_SCHEMA = `
-- RED rollups (metrics/rollup.ts): per period (10 s and a minute) of span
-- start, per service, operation and span kind, the calls, the errors and a
-- histogram of the durations; what the metrics API (/api/metrics/*) reads.
CREATE TABLE rollups (
  service   TEXT NOT NULL,
  period_s  INTEGER NOT NULL,        -- length of the period, seconds
  start_s   INTEGER NOT NULL,        -- start of the period, seconds since the epoch
  name      TEXT NOT NULL,
  kind      INTEGER NOT NULL,        -- OTLP SpanKind
  calls     INTEGER NOT NULL,
  errors    INTEGER NOT NULL,
  durations BLOB NOT NULL,           -- metrics/histogram.ts
  PRIMARY KEY (service, period_s, start_s, name, kind)
) WITHOUT ROWID;
CREATE INDEX rollups_by_start ON rollups (period_s, start_s);
`;

export const SCHEMA = `
-- Each distinct resource once (chunks and log records refer to it).
CREATE TABLE resources (
  id         INTEGER PRIMARY KEY,   -- first 8 bytes of the SHA-1 of body and schema_url, signed
  service    TEXT NOT NULL,
  schema_url TEXT NOT NULL,
  body       BLOB NOT NULL          -- encoded opentelemetry.proto.resource.v1.Resource
);

-- The spans of one trace from one export request.
CREATE TABLE chunks (
  id       INTEGER PRIMARY KEY,     -- span position of its first span; the next chunk's is id + spans
  bucket   INTEGER NOT NULL,        -- id >> BUCKET_SHIFT
  trace_id BLOB NOT NULL,           -- 16 bytes
  spans    INTEGER NOT NULL,
  ops      BLOB NOT NULL,           -- operations.id of its spans, uint32 little-endian each
  body     BLOB NOT NULL            -- encoded tracelens.store.v1.Chunk
);
CREATE INDEX chunks_by_trace ON chunks (bucket, trace_id);

-- The search index: chunks in ingest order, grouped in blocks of a few
-- thousand terms, each with a bloom filter of every term of its chunks
-- (search/terms.ts), and a directory of its chunks: their trace ids, start
-- and duration bounds and bloom filters (search/block-directory.ts). A
-- search reads blocks newest first and stops once its limit is filled.
CREATE TABLE blocks (
  id           INTEGER PRIMARY KEY, -- id of its first chunk
  last_chunk   INTEGER NOT NULL,    -- id of its last chunk
  min_start_us INTEGER NOT NULL,    -- bounds of its spans' starts, widened by 1 µs
  max_start_us INTEGER NOT NULL,
  filter       BLOB NOT NULL        -- BLOCK_FILTER_BYTES, rewritten with each commit while the block fills
);
CREATE INDEX blocks_by_start ON blocks (max_start_us);

-- A block's directory, in the pieces its commits added: each commit writes
-- one for the chunks it added, so a commit costs the same however full its
-- block is. A block's pieces have ids from its id to its last_chunk.
CREATE TABLE directories (
  id        INTEGER PRIMARY KEY,    -- id of the piece's first chunk
  directory BLOB NOT NULL
);

CREATE TABLE operations (
  id      INTEGER PRIMARY KEY,
  service TEXT NOT NULL,
  name    TEXT NOT NULL,
  kind    INTEGER NOT NULL,         -- OTLP SpanKind
  chunks  INTEGER NOT NULL,         -- stored chunks with a span of it; forgotten at 0
  UNIQUE (service, name, kind)
);

-- One row per committed ingest transaction: its last span position and when
-- it arrived, so age-based retention finds its cutoff without a scan.
CREATE TABLE ingests (
  row_end     INTEGER PRIMARY KEY,
  received_us INTEGER NOT NULL
);
CREATE INDEX ingests_by_time ON ingests (received_us);

-- The next span position (they never repeat, even once everything is
-- deleted) and how many spans are stored.
CREATE TABLE counters (
  next_position INTEGER NOT NULL,
  spans         INTEGER NOT NULL
);
INSERT INTO counters (next_position, spans) VALUES (1, 0);

${ROLLUPS_SCHEMA}
-- OTLP log records. A record outside any trace has trace_id ''.
CREATE TABLE logs (
  row             INTEGER PRIMARY KEY,
  trace_id        TEXT NOT NULL,     -- '' or 32 lowercase hex digits
  span_id         TEXT NOT NULL,     -- '' or 16 lowercase hex digits
  time_us         INTEGER NOT NULL,  -- event time, else observed time, else received time
  severity_number INTEGER NOT NULL,  -- OTLP SeverityNumber
  severity_text   TEXT NOT NULL,
  resource_id     INTEGER NOT NULL,
  service         TEXT NOT NULL,
  scope           TEXT NOT NULL,     -- JSON: OTLP scope and schemaUrl
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
