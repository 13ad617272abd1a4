// Daily price bars of 'prices' datasets: stored as quoted (with the adjusted close beside), read back ascending.

import type { Kysely, Selectable } from 'kysely';
import type { PriceBar } from '../../data/prices';
import type { Database, PricesTable } from '../schema';
import { inTransaction } from '../transaction';

/** Rows per INSERT statement (SQLite allows 32766 bound values; 8 columns per row). */
const CHUNK = 500;

function toBar(row: Selectable<PricesTable>): PriceBar {
  return {
    date: row.date,
    open: Number(row.open),
    high: Number(row.high),
    low: Number(row.low),
    close: Number(row.close),
    adjClose: row.adj_close === null ? null : Number(row.adj_close),
    volume: Number(row.volume),
  };
}

/** Inserts the bars of a dataset in one transaction (the caller's, when it is one): all of them or none. */
export async function insertPriceBars(
  db: Kysely<Database>,
  datasetId: string,
  bars: readonly PriceBar[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (let i = 0; i < bars.length; i += CHUNK) {
      const rows = bars.slice(i, i + CHUNK).map((b) => ({
        dataset_id: datasetId,
        date: b.date,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        adj_close: b.adjClose,
        volume: b.volume,
      }));
      await trx.insertInto('prices').values(rows).execute();
    }
  });
}

export type PriceRange = { from?: string; to?: string };

/** The dataset's bars ascending by date, optionally within [from, to] (inclusive ISO dates). */
export async function getPriceBars(
  db: Kysely<Database>,
  datasetId: string,
  range: PriceRange = {},
): Promise<PriceBar[]> {
  let q = db.selectFrom('prices').selectAll().where('dataset_id', '=', datasetId);
  if (range.from !== undefined) q = q.where('date', '>=', range.from);
  if (range.to !== undefined) q = q.where('date', '<=', range.to);
  const rows = await q.orderBy('date', 'asc').execute();
  return rows.map(toBar);
}

export async function countPriceBars(db: Kysely<Database>, datasetId: string): Promise<number> {
  const row = await db
    .selectFrom('prices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
