// Optional download of daily bars from Yahoo Finance (yahoo-finance2's chart API), converted to PriceBar in one
// step. Fails with one clear message when the machine is offline or the ticker is unknown; stores nothing itself.

import type { Kysely } from 'kysely';
import YahooFinance from 'yahoo-finance2';
import type { Dataset } from '../store/repos/datasets';
import type { Database } from '../store/schema';
import { findGaps, isIsoDate, type TradingCalendar } from './calendar';
import { PriceImportError, storePriceDataset } from './import';
import type { PriceBar } from './prices';

export interface YahooDownloadOptions {
  /** first day, ISO (default 10 years before `to`) */
  from?: string;
  /** last day, ISO (default today) */
  to?: string;
  /** fetch implementation (tests pass one that fails, to simulate being offline) */
  fetch?: typeof fetch;
  /** abort after this many ms (default 20 000) */
  timeoutMs?: number;
}

/** Downloads failed: offline, unknown ticker, or a response without usable bars. */
export class PriceDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceDownloadError';
  }
}

/** The fields of one chart row this importer reads. */
interface YahooQuote {
  date: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  adjclose?: number | null;
}

const TICKER = /^[A-Za-z0-9.^=-]{1,20}$/;

function isOfflineError(err: unknown): boolean {
  const e = err as { message?: string; cause?: { code?: string } } | null;
  const code = e?.cause?.code ?? '';
  const msg = `${e?.message ?? ''} ${code}`;
  return /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|offline|abort/i.test(
    msg,
  );
}

/** Daily bars of `ticker` from Yahoo Finance, ascending, with adjusted closes; rows with missing fields are dropped. */
export async function downloadYahooBars(ticker: string, opts: YahooDownloadOptions = {}): Promise<PriceBar[]> {
  if (!TICKER.test(ticker)) {
    throw new PriceDownloadError(`"${ticker}" is not a ticker symbol (letters, digits and . ^ = - only, e.g. AAPL)`);
  }
  const to = opts.to ?? new Date().toISOString().slice(0, 10);
  const from = opts.from ?? `${Number(to.slice(0, 4)) - 10}${to.slice(4)}`;
  for (const [name, d] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isIsoDate(d)) throw new PriceDownloadError(`${name} date "${d}" is not a date (expected YYYY-MM-DD)`);
  }
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 20_000);
  const yf = new YahooFinance({
    suppressNotices: ['yahooSurvey'],
    versionCheck: false,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    fetchOptions: { signal },
    logger: { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, dir: () => {} },
  });
  let quotes: YahooQuote[];
  try {
    const res = await yf.chart(ticker, { period1: from, period2: to, interval: '1d', return: 'array' });
    quotes = res.quotes;
  } catch (err) {
    if (isOfflineError(err)) {
      throw new PriceDownloadError(
        `Could not reach Yahoo Finance to download ${ticker} (${(err as Error).message}). The machine looks offline; import a CSV file instead.`,
      );
    }
    throw new PriceDownloadError(`Yahoo Finance refused ${ticker}: ${(err as Error).message}`);
  }
  const bars: PriceBar[] = [];
  for (const q of quotes) {
    const { open, high, low, close, volume } = q;
    if (open === null || high === null || low === null || close === null) continue;
    if (!(open > 0 && high > 0 && low > 0 && close > 0) || high < low) continue;
    const adj = q.adjclose ?? null;
    bars.push({
      date: q.date.toISOString().slice(0, 10),
      open,
      high,
      low,
      close,
      adjClose: adj !== null && adj > 0 ? adj : null,
      volume: volume ?? 0,
    });
  }
  bars.sort((a, b) => (a.date < b.date ? -1 : 1));
  const unique = bars.filter((b, i) => i === 0 || b.date !== bars[i - 1].date);
  if (unique.length === 0)
    throw new PriceDownloadError(`Yahoo Finance returned no daily bars for ${ticker} from ${from} to ${to}`);
  // every bar keeps an adjusted close only when all have one (adjustedSeries needs all or none)
  if (unique.some((b) => b.adjClose === null)) for (const b of unique) b.adjClose = null;
  return unique;
}

/** Downloads `ticker` and stores it as a prices dataset named after it. */
export async function importYahooTicker(
  db: Kysely<Database>,
  ticker: string,
  opts: YahooDownloadOptions & { createdBy: string | null; calendar?: TradingCalendar },
): Promise<Dataset> {
  const bars = await downloadYahooBars(ticker, opts);
  const calendar = opts.calendar ?? 'nyse';
  const gaps = findGaps(
    bars.map((b) => b.date),
    calendar,
  );
  if (bars.length < 2) throw new PriceImportError(`Yahoo Finance returned only ${bars.length} bar for ${ticker}`);
  return storePriceDataset(db, {
    name: ticker.toUpperCase(),
    source: `yahoo-finance2:${ticker.toUpperCase()}`,
    synthetic: false,
    bars,
    createdBy: opts.createdBy,
    action: 'dataset.download',
    meta: {
      ticker: ticker.toUpperCase(),
      firstDate: bars[0].date,
      lastDate: bars[bars.length - 1].date,
      adjusted: bars[0].adjClose !== null,
      format: 'yahoo-finance2',
      calendar,
      missingDays: gaps.missingDays,
    },
  });
}
