import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { z } from 'zod';
import { inventoryItemSchema, type InventoryItemDto } from '../inventory/dto/inventory-item.dto.js';

/** Deadline of one call to the inventory, so a hung downstream costs an attempt, not the request. */
export const INVENTORY_ATTEMPT_TIMEOUT_MS = 5_000;

/** A failed call to the inventory. */
export class InventoryCallError extends Error {
  constructor(
    message: string,
    /** The HTTP status of the answer; undefined when none came. */
    readonly status: number | undefined,
    /** Whether another attempt may succeed: no answer, a 5xx or a 429 may go away; another 4xx or an invalid body will not. */
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InventoryCallError';
  }
}

const errorBodySchema = z.object({ message: z.string() });

/**
 * Calls the inventory downstream over real HTTP, at this very server's own
 * address, with the global fetch: the undici instrumentation makes each call a
 * CLIENT span and injects `traceparent` (and `baggage`), so the downstream's
 * server span joins the caller's trace.
 */
@Injectable()
export class InventoryClient {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async get(name: string, failureRate: number): Promise<InventoryItemDto> {
    const url = new URL(`/downstream/inventory/${encodeURIComponent(name)}`, this.baseUrl());
    url.searchParams.set('failureRate', String(failureRate));
    let status: number | undefined;
    let body: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(INVENTORY_ATTEMPT_TIMEOUT_MS) });
      status = response.status;
      // Read even on failure: an unread body keeps the connection from being reused.
      body = await response.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InventoryCallError(`inventory unreachable: ${reason}`, undefined, true, { cause: error });
    }
    if (status < 200 || status >= 300) {
      const retryable = status >= 500 || status === 429;
      throw new InventoryCallError(`inventory answered ${status}: ${messageOf(body)}`, status, retryable);
    }
    const item = inventoryItemSchema.safeParse(parseJson(body));
    if (!item.success) {
      throw new InventoryCallError(`inventory answered ${status} with an invalid body`, status, false);
    }
    return item.data;
  }

  /** This server's own origin; a wildcard bind address is reached on loopback. */
  private baseUrl(): string {
    // Nest types its HTTP server `any`; with the Express adapter it is Node's http.Server.
    const address = (this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined)?.address();
    if (!address || typeof address === 'string') {
      throw new InventoryCallError('inventory unreachable: this server is not listening on TCP', undefined, false);
    }
    return `http://${hostOf(address)}:${address.port}`;
  }
}

export function hostOf({ address, family }: Pick<AddressInfo, 'address' | 'family'>): string {
  if (family === 'IPv6' || address.includes(':')) return address === '::' ? '[::1]' : `[${address}]`;
  return address === '0.0.0.0' ? '127.0.0.1' : address;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Nest's error body carries a `message`; anything else is quoted, shortened. */
function messageOf(body: string): string {
  const parsed = errorBodySchema.safeParse(parseJson(body));
  return parsed.success ? parsed.data.message : JSON.stringify(body.slice(0, 200));
}
