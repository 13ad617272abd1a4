import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPriceCsv, loadPriceDataset, PriceImportError, storePriceDataset } from '../../lib/data/import';
import type { PriceBar } from '../../lib/data/prices';
import { PRICE_SAMPLES, seedPriceSamples } from '../../lib/data/samples';
import { downloadYahooBars, importYahooTicker, PriceDownloadError } from '../../lib/data/yahoo';
import { listAudit } from '../../lib/store/repos/audit';
import { listDatasets } from '../../lib/store/repos/datasets';
import { countPriceBars } from '../../lib/store/repos/prices';
import { openTempDb, type TempDb } from '../store/temp-db';
import { stockCsv } from './data-dir';

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(async () => {
  await t.cleanup();
});

async function tableCounts() {
  const datasets = await t.db
    .selectFrom('datasets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const prices = await t.db
    .selectFrom('prices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const audit = await t.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { datasets: Number(datasets.n), prices: Number(prices.n), audit: Number(audit.n) };
}

describe('importPriceCsv', () => {
  it('stores AMZN with its gap report, and reads the bars back ascending', async () => {
    const { dataset, report } = await importPriceCsv(t.db, {
      name: 'AMZN',
      text: stockCsv('AMZN'),
      fileName: 'AMZN.csv',
      ticker: 'AMZN',
      createdBy: null,
    });
    expect(dataset).toMatchObject({
      kind: 'prices',
      name: 'AMZN',
      synthetic: false,
      rowCount: 3168,
      source: 'AMZN.csv',
    });
    expect(dataset.meta).toMatchObject({
      ticker: 'AMZN',
      missingDays: 7,
      adjusted: true,
      format: 'yahoo',
      firstDate: '2000-02-01',
    });
    expect(report.gaps.missingDays).toBe(7);
    const { bars } = await loadPriceDataset(t.db, dataset.id);
    expect(bars).toHaveLength(3168);
    expect(bars[0].date).toBe('2000-02-01');
    expect(bars.at(-1)).toMatchObject({ date: '2012-09-12', close: 255.63, adjClose: 255.63, volume: 2273200 });
    const audit = await listAudit(t.db, { action: 'dataset.import' });
    expect(audit).toHaveLength(1);
    expect(audit[0].objectId).toBe(dataset.id);
  });

  it('refuses a file with bad rows, naming them, and stores nothing', async () => {
    const text = 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,11,9,10,10,5\n2024-01-03,10,9,11,10,10,5\n';
    const err = await importPriceCsv(t.db, { name: 'X', text, createdBy: null }).catch((e) => e);
    expect(err).toBeInstanceOf(PriceImportError);
    expect(err.message).toContain('line 3: High 9 is below Low 11');
    expect(err.report.errorCount).toBe(1);
    expect(await tableCounts()).toEqual({ datasets: 0, prices: 0, audit: 0 });
    // skipBadRows stores the good row only
    const ok = await importPriceCsv(t.db, { name: 'X', text, createdBy: null, skipBadRows: true });
    expect(ok.dataset.rowCount).toBe(1);
    expect(ok.dataset.meta.skippedRows).toBe(1);
  });

  it('refuses an unparseable file and stores nothing', async () => {
    await expect(
      importPriceCsv(t.db, { name: 'X', text: 'hello,world\n1,2\n', fileName: 'x.csv', createdBy: null }),
    ).rejects.toThrow(/x\.csv: Line 1 is not a price header: missing columns Date, Open, High, Low, Close, Volume/);
    expect(await tableCounts()).toEqual({ datasets: 0, prices: 0, audit: 0 });
  });

  it('is one transaction: a failure while inserting bars leaves no dataset, bar or audit row', async () => {
    const bar = (date: string): PriceBar => ({ date, open: 1, high: 1, low: 1, close: 1, adjClose: null, volume: 1 });
    // 1200 bars (three insert chunks) whose last one repeats a date: the primary key fails in the last chunk
    const bars = Array.from({ length: 1199 }, (_, i) => bar(`day-${String(i).padStart(5, '0')}`));
    bars.push(bar(bars[0].date));
    await expect(
      storePriceDataset(t.db, {
        name: 'broken',
        source: 'test',
        synthetic: false,
        bars,
        createdBy: null,
        meta: {
          ticker: null,
          firstDate: '',
          lastDate: '',
          adjusted: false,
          format: 'test',
          calendar: 'nyse',
          missingDays: 0,
        },
      }),
    ).rejects.toThrow(/UNIQUE|PRIMARY/i);
    expect(await tableCounts()).toEqual({ datasets: 0, prices: 0, audit: 0 });
  });
});

describe('bundled synthetic samples', () => {
  it('seeds each sample once, marked synthetic', async () => {
    const first = await seedPriceSamples(t.db);
    expect(first).toEqual(PRICE_SAMPLES.map((s) => s.name));
    expect(await seedPriceSamples(t.db)).toEqual([]);
    const ds = await listDatasets(t.db, { kind: 'prices' });
    expect(ds).toHaveLength(PRICE_SAMPLES.length);
    for (const d of ds) {
      expect(d.synthetic).toBe(true);
      expect(d.name).toMatch(/synthetic/);
      expect(d.meta.generator).toBeTruthy();
      expect(await countPriceBars(t.db, d.id)).toBe(2520);
    }
  });
});

describe('Yahoo Finance download', () => {
  const offline = (async () => {
    throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
  }) as unknown as typeof fetch;

  it('fails with a clear message when offline, and stores nothing', async () => {
    const err = await downloadYahooBars('AAPL', { fetch: offline }).catch((e) => e);
    expect(err).toBeInstanceOf(PriceDownloadError);
    expect(err.message).toMatch(/Could not reach Yahoo Finance to download AAPL.*offline; import a CSV file instead/);
    await expect(importYahooTicker(t.db, 'AAPL', { fetch: offline, createdBy: null })).rejects.toThrow(/offline/);
    expect(await tableCounts()).toEqual({ datasets: 0, prices: 0, audit: 0 });
  });

  it('refuses a malformed ticker before any request', async () => {
    await expect(downloadYahooBars('AAPL; DROP TABLE', { fetch: offline })).rejects.toThrow(/not a ticker symbol/);
  });
});
