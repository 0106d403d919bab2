import { SpanKind, StatusCode } from '../otlp/model.js';

/**
 * What a trace search can ask of a span, and those questions as 32-bit term
 * hashes for the bloom filters (bloom.ts). The same functions read a span as
 * it is ingested (protobufjs messages, pb.ts) and as it is read back (the
 * normalised model), each given the one way to turn its attribute values
 * into text, so what the index holds and what a search compares can never
 * disagree.
 *
 * Tags are compared as text the way Jaeger's storages do (goAsString), and
 * include the tags Jaeger derives (span.kind, otel.status_code, error,
 * otel.scope.name, and `event` for event names) and the resource's
 * attributes (Jaeger's process tags). Every term is scoped by the span's
 * service: a search names one (v1 requires it), and a service-scoped term is
 * far more selective than a bare `key=value`.
 */

/** Longest tag value a search can match; longer values are stored but not searchable. */
export const MAX_TAG_VALUE = 1024;

const SPAN_KIND_TAG = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODE_TAG = ['', 'OK', 'ERROR'];

interface Attribute<V> {
  key: string;
  value?: V | null;
}

/** The parts of a span tag extraction reads, in either form. */
export interface TaggedSpan<V> {
  attributes: readonly Attribute<V>[];
  events: readonly { name: string; attributes: readonly Attribute<V>[] }[];
  kind: number;
  status?: { code: number } | null;
}

export interface TaggedScope<V> {
  name: string;
  attributes: readonly Attribute<V>[];
}

/** An attribute value as the text a tag search compares (goAsString, in whichever form the value is). */
export type TextOf<V> = (value: V | null | undefined) => string;

/**
 * Calls `emit` with every searchable key and text of a span (its attributes,
 * its scope's and its events', and the derived tags), not its resource's
 * (see forEachResourceTag). Pairs may repeat.
 */
export function forEachSpanTag<V>(
  span: TaggedSpan<V>,
  scope: TaggedScope<V> | null | undefined,
  textOf: TextOf<V>,
  emit: (key: string, text: string) => void,
): void {
  forEachOwnTag(span, textOf, emit);
  if (scope) forEachScopeTag(scope, textOf, emit);
}

/** The tags of a span that are its own: forEachSpanTag without its scope's. */
export function forEachOwnTag<V>(span: TaggedSpan<V>, textOf: TextOf<V>, emit: (key: string, text: string) => void): void {
  for (const kv of span.attributes) {
    const text = textOf(kv.value);
    if (text.length <= MAX_TAG_VALUE) emit(kv.key, text);
  }
  for (const event of span.events) {
    if (event.name.length <= MAX_TAG_VALUE) emit('event', event.name);
    for (const kv of event.attributes) {
      const text = textOf(kv.value);
      if (text.length <= MAX_TAG_VALUE) emit(kv.key, text);
    }
  }
  if (span.kind !== SpanKind.UNSPECIFIED) emit('span.kind', SPAN_KIND_TAG[span.kind] ?? '');
  const code = span.status?.code ?? StatusCode.UNSET;
  if (code !== StatusCode.UNSET) emit('otel.status_code', STATUS_CODE_TAG[code] ?? '');
  if (code === StatusCode.ERROR) emit('error', 'true');
}

/** The tags every span of a scope has: its attributes and `otel.scope.name`. */
export function forEachScopeTag<V>(scope: TaggedScope<V>, textOf: TextOf<V>, emit: (key: string, text: string) => void): void {
  for (const kv of scope.attributes) {
    const text = textOf(kv.value);
    if (text.length <= MAX_TAG_VALUE) emit(kv.key, text);
  }
  if (scope.name && scope.name.length <= MAX_TAG_VALUE) emit('otel.scope.name', scope.name);
}

/** The searchable key and text of each resource attribute (Jaeger's process tags). */
export function forEachResourceTag<V>(attributes: readonly Attribute<V>[], textOf: TextOf<V>, emit: (key: string, text: string) => void): void {
  for (const kv of attributes) {
    const text = textOf(kv.value);
    if (text.length <= MAX_TAG_VALUE) emit(kv.key, text);
  }
}

// ---- term hashes ------------------------------------------------------------

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Continues a 32-bit FNV-1a hash over the UTF-16 code units of `s`, then a separator no text holds. */
function fnv(hash: number, s: string): number {
  let h = hash;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ 0xffff, FNV_PRIME);
}

/** murmur3's finaliser, so every input bit reaches every bit the bloom filters probe. */
function finish(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const SERVICE_SEED = fnv(FNV_OFFSET, 'service');
const OPERATION_SEED = fnv(FNV_OFFSET, 'operation');
const TAG_SEED = fnv(FNV_OFFSET, 'tag');

/** "A span of this service". */
export function serviceTerm(service: string): number {
  return finish(fnv(SERVICE_SEED, service));
}

/** "A span of this service with this name". */
export function operationTerm(service: string, name: string): number {
  return finish(fnv(fnv(OPERATION_SEED, service), name));
}

/**
 * The hash state of "a span of this service with a tag", to be finished by
 * tagTerm with the key and text; computed once per resource at ingest.
 */
export function tagPrefix(service: string): number {
  return fnv(TAG_SEED, service);
}

/** "A span of the service of `prefix` (tagPrefix) with this tag". */
export function tagTerm(prefix: number, key: string, text: string): number {
  return finish(fnv(fnv(prefix, key), text));
}
