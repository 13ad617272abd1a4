// Storing price datasets: a parsed CSV, a provider download or a generated sample becomes one 'prices' dataset row,
// its bars and an audit row, all in one transaction, so a failure leaves nothing behind.

import type { Kysely } from 'kysely';
import { withAudit } from '../store/repos/audit';
import { createDataset, type Dataset, getDataset } from '../store/repos/datasets';
import { getPriceBars, insertPriceBars } from '../store/repos/prices';
import type { Database } from '../store/schema';
import type { TradingCalendar } from './calendar';
import { describeErrors, type ParsedPrices, type PriceValidationReport, parsePriceCsv } from './price-csv';
import type { PriceBar } from './prices';

export const PRICES_KIND = 'prices';

/** An import refused: the message says why; report (when the file could be read) lists every bad row. */
export class PriceImportError extends Error {
  constructor(
    message: string,
    readonly report: PriceValidationReport | null = null,
  ) {
    super(message);
    this.name = 'PriceImportError';
  }
}

/** What the dataset's meta holds for a prices dataset. */
export interface PriceDatasetMeta {
  ticker: string | null;
  firstDate: string;
  lastDate: string;
  /** whether adjusted closes are stored (and used for returns) */
  adjusted: boolean;
  /** 'yahoo' | 'stooq' (CSV), 'yahoo-finance2' (download) or 'synthetic' */
  format: string;
  calendar: TradingCalendar;
  /** sessions of the calendar with no bar */
  missingDays: number;
  /** for synthetic data: the generator and its settings */
  generator?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface StorePricesInput {
  name: string;
  /** a file name, a provider and ticker, or a generator and seed */
  source: string;
  synthetic: boolean;
  /** ascending, distinct dates, validated */
  bars: readonly PriceBar[];
  meta: PriceDatasetMeta;
  createdBy: string | null;
  /** audit action, default 'dataset.import' */
  action?: string;
}

/** Creates the dataset and stores its bars and the audit row in one transaction. */
export async function storePriceDataset(db: Kysely<Database>, input: StorePricesInput): Promise<Dataset> {
  if (input.bars.length === 0) throw new PriceImportError(`${input.name}: no price rows to store`);
  return withAudit(
    db,
    async (trx) => {
      const dataset = await createDataset(trx, {
        kind: PRICES_KIND,
        name: input.name,
        source: input.source,
        synthetic: input.synthetic,
        rowCount: input.bars.length,
        meta: input.meta,
        createdBy: input.createdBy,
      });
      await insertPriceBars(trx, dataset.id, input.bars);
      return dataset;
    },
    (d) => ({
      userId: input.createdBy,
      action: input.action ?? 'dataset.import',
      objectType: 'dataset',
      objectId: d.id,
      detail: { kind: PRICES_KIND, name: d.name, rows: d.rowCount, source: d.source },
    }),
  );
}

export interface ImportPriceCsvInput {
  /** dataset name shown in the UI, e.g. the ticker */
  name: string;
  /** the file's text */
  text: string;
  /** the uploaded file's name, kept as the dataset's source */
  fileName?: string;
  /** ticker, when the file does not name one */
  ticker?: string | null;
  createdBy: string | null;
  /** store the valid rows and leave out the bad ones (default false: any bad row refuses the whole file) */
  skipBadRows?: boolean;
  calendar?: TradingCalendar;
}

export interface ImportResult {
  dataset: Dataset;
  report: PriceValidationReport;
}

/**
 * Parses a daily price CSV (see parsePriceCsv) and stores it as a 'prices' dataset. Refuses — with a
 * PriceImportError naming the bad rows, and storing nothing — a file that is not a price table, or one with any
 * bad row unless skipBadRows. Gaps are reported, never refused.
 */
export async function importPriceCsv(db: Kysely<Database>, input: ImportPriceCsvInput): Promise<ImportResult> {
  let parsed: ParsedPrices;
  try {
    parsed = parsePriceCsv(input.text, { calendar: input.calendar });
  } catch (err) {
    throw new PriceImportError(`${input.fileName ?? input.name}: ${(err as Error).message}`);
  }
  const { bars, report } = parsed;
  if (report.errorCount > 0 && !input.skipBadRows) {
    throw new PriceImportError(`${input.fileName ?? input.name}: ${describeErrors(report)}`, report);
  }
  if (bars.length === 0) {
    throw new PriceImportError(`${input.fileName ?? input.name}: no valid price rows`, report);
  }
  const dataset = await storePriceDataset(db, {
    name: input.name,
    source: input.fileName ?? 'upload',
    synthetic: false,
    bars,
    createdBy: input.createdBy,
    meta: {
      ticker: input.ticker ?? report.ticker,
      firstDate: bars[0].date,
      lastDate: bars[bars.length - 1].date,
      adjusted: report.adjusted,
      format: report.format,
      calendar: report.gaps.calendar,
      missingDays: report.gaps.missingDays,
      skippedRows: report.rows - report.validRows,
    },
  });
  return { dataset, report };
}

/** A prices dataset and its bars; throws naming the id when it does not exist or is not a prices dataset. */
export async function loadPriceDataset(
  db: Kysely<Database>,
  datasetId: string,
): Promise<{ dataset: Dataset; bars: PriceBar[] }> {
  const dataset = await getDataset(db, datasetId);
  if (!dataset) throw new Error(`dataset ${datasetId} does not exist`);
  if (dataset.kind !== PRICES_KIND) {
    throw new Error(`dataset ${datasetId} (${dataset.name}) holds ${dataset.kind} data, not daily prices`);
  }
  return { dataset, bars: await getPriceBars(db, datasetId) };
}
