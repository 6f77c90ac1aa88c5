import type { Knex } from 'knex';

/** What the catalogue says about a product: the options of its variants in stock, and prices. */
export type ProductInfo = {
  name: string;
  options: Record<string, string[]>;
  availableVariants: number;
  minPrice: number | null;
  maxPrice: number | null;
};

type Variant = { options?: Record<string, string>; available?: boolean; price?: number };

export function summarizeProduct(name: string, variants: Variant[]): ProductInfo {
  const inStock = variants.filter((v) => v.available !== false);
  const options: Record<string, string[]> = {};
  for (const v of inStock) {
    for (const [k, val] of Object.entries(v.options ?? {})) {
      const list = (options[k] ??= []);
      if (!list.includes(val)) list.push(val);
    }
  }
  for (const list of Object.values(options)) list.sort();
  const prices = inStock.map((v) => v.price).filter((p): p is number => typeof p === 'number');
  return {
    name,
    options,
    availableVariants: inStock.length,
    minPrice: prices.length ? Math.min(...prices) : null,
    maxPrice: prices.length ? Math.max(...prices) : null,
  };
}

/** Catalogue facts for the products a message names (store-scoped, case-insensitive). */
export async function productsByName(db: Knex, storeId: string, names: string[]): Promise<ProductInfo[]> {
  if (names.length === 0) return [];
  const rows = await db('products')
    .where({ store_id: storeId })
    .whereRaw(`lower(name) = any(?::text[])`, [names.map((n) => n.toLowerCase())])
    .select('name', 'variants');
  return rows.map((r: { name: string; variants: Variant[] | string }) =>
    summarizeProduct(r.name, typeof r.variants === 'string' ? (JSON.parse(r.variants) as Variant[]) : r.variants),
  );
}
