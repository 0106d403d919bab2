import type { ResourceSpans } from '../otlp/model.js';
import type { StoredTrace } from '../store/store.js';

/**
 * A stored trace laid out as Jaeger's memory storage holds one: for every
 * export that carried spans of the trace, one ResourceSpans per resource of
 * that export and in it one ScopeSpans per scope, in the order received.
 * Schema URLs are not kept (Jaeger copies only the resource and the scope).
 * Rows written before the store recorded export positions (chunk 0) are
 * grouped by consecutive resource and scope instead.
 *
 * Returns fresh objects: the adjusters rewrite them freely.
 */
export function storedLayout(trace: StoredTrace): ResourceSpans[] {
  const out: ResourceSpans[] = [];
  let resourceKey: string | undefined;
  let scopeKey: string | undefined;
  for (const stored of trace.spans) {
    const record = trace.resources.get(stored.resourceId);
    const rKey = stored.resourceChunk ? `chunk:${stored.resourceChunk}` : `resource:${stored.resourceId}`;
    const sKey = stored.scopeChunk ? `chunk:${stored.scopeChunk}` : `scope:${JSON.stringify(stored.scope.scope)}`;
    if (rKey !== resourceKey || out.length === 0) {
      const resource = record ? structuredClone(record.resource) : { attributes: [], droppedAttributesCount: 0 };
      out.push({ resource, schemaUrl: '', scopeSpans: [] });
      resourceKey = rKey;
      scopeKey = undefined;
    }
    const rs = out[out.length - 1] as ResourceSpans;
    if (sKey !== scopeKey || rs.scopeSpans.length === 0) {
      rs.scopeSpans.push({ scope: structuredClone(stored.scope.scope), schemaUrl: '', spans: [] });
      scopeKey = sKey;
    }
    rs.scopeSpans[rs.scopeSpans.length - 1]?.spans.push(structuredClone(stored.span));
  }
  return out;
}
