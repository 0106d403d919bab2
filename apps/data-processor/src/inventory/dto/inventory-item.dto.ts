import { z } from 'zod';

/** Body of `GET /downstream/inventory/:name`; also how the flaky scenario validates what it receives. */
export const inventoryItemSchema = z.object({
  /** The name as requested. */
  name: z.string(),
  /** Quantity in stock: derived from the name, so the same name always answers the same. */
  quantity: z.number().int().nonnegative(),
});

export type InventoryItemDto = z.output<typeof inventoryItemSchema>;
