import { describe, expect, it } from 'vitest';
import { PriceCsvError, parsePriceCsv } from '../../lib/data/price-csv';
import { adjustedSeries } from '../../lib/data/prices';
import { stockCsv } from './data-dir';

const TICKERS = ['AAPL', 'MSFT', 'AMZN', 'JPM', 'IBM', 'SPY'];

describe('parsePriceCsv on the real ML4T Yahoo files', () => {
  it.each(TICKERS)('%s: newest-first CRLF Yahoo file, adjusted closes, no bad rows', (ticker) => {
    const { bars, report } = parsePriceCsv(stockCsv(ticker));
    expect(report.format).toBe('yahoo');
    expect(report.order).toBe('descending');
    expect(report.lineEnding).toBe('CRLF');
    expect(report.errorCount).toBe(0);
    expect(report.adjusted).toBe(true);
    expect(bars.length).toBe(ticker === 'AMZN' ? 3168 : 3175);
    expect(report.firstDate).toBe('2000-02-01');
    expect(report.lastDate).toBe('2012-09-12');
    // ascending after parsing
    for (let i = 1; i < bars.length; i++) expect(bars[i].date > bars[i - 1].date).toBe(true);
    // only AMZN misses NYSE sessions (SOURCE.md: 7 missing days)
    expect(report.gaps.missingDays).toBe(ticker === 'AMZN' ? 7 : 0);
  });

  it('AMZN gap report names the 7 missing sessions', () => {
    const { report } = parsePriceCsv(stockCsv('AMZN'));
    expect(report.gaps.gaps.flatMap((g) => g.missing)).toEqual([
      '2000-02-23',
      '2000-06-02',
      '2000-06-09',
      '2000-07-20',
      '2000-08-28',
      '2000-08-29',
      '2002-02-01',
    ]);
    expect(report.gaps.offCalendar).toEqual([]);
  });

  it('uses Adj Close: AAPL 2000-02-01 close 100.25 is adjusted to 24.96', () => {
    const { bars } = parsePriceCsv(stockCsv('AAPL'));
    const s = adjustedSeries(bars);
    expect(bars[0]).toMatchObject({ date: '2000-02-01', close: 100.25, adjClose: 24.96 });
    expect(s.close[0]).toBeCloseTo(24.96, 10);
    // open/high/low scaled by the same factor
    expect(s.open[0] / bars[0].open).toBeCloseTo(24.96 / 100.25, 12);
  });
});

describe('parsePriceCsv forms', () => {
  const yahoo = [
    'Date,Open,High,Low,Close,Adj Close,Volume',
    '2024-01-02,10,11,9,10.5,5.25,1000',
    '2024-01-03,10.5,12,10,11,5.5,2000.5',
    '2024-01-04,11,11.5,10.5,11.2,5.6,1.5e3',
  ];

  it('reads any column order, LF, float volume, and reorders oldest-first', () => {
    const shuffled = [
      'Volume,Close,Date,Adj Close,Low,High,Open',
      '1000,10.5,2024-01-02,5.25,9,11,10',
      '2000.5,11,2024-01-03,5.5,10,12,10.5',
    ];
    const { bars, report } = parsePriceCsv(shuffled.join('\n'));
    expect(report.lineEnding).toBe('LF');
    expect(report.order).toBe('ascending');
    expect(bars[1]).toEqual({
      date: '2024-01-03',
      open: 10.5,
      high: 12,
      low: 10,
      close: 11,
      adjClose: 5.5,
      volume: 2000.5,
    });
  });

  it('reads Yahoo with CRLF, integer and exponent volume', () => {
    const { bars, report } = parsePriceCsv(`${yahoo.join('\r\n')}\r\n`);
    expect(report.lineEnding).toBe('CRLF');
    expect(bars.map((b) => b.volume)).toEqual([1000, 2000.5, 1500]);
  });

  it('reads Stooq daily (no Adj Close) and Stooq bulk files', () => {
    const daily = 'Date,Open,High,Low,Close,Volume\n2024-01-03,2,3,1,2.5,10\n2024-01-02,1,2,1,1.5,20\n';
    const d = parsePriceCsv(daily);
    expect(d.report.format).toBe('stooq');
    expect(d.report.adjusted).toBe(false);
    expect(d.report.order).toBe('descending');
    expect(d.bars.map((b) => b.adjClose)).toEqual([null, null]);
    const bulk =
      '<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\nAAPL.US,D,20240102,000000,187.15,188.44,183.885,185.64,82488674,0\nAAPL.US,D,20240103,000000,184.22,185.88,183.43,184.25,58414460,0\n';
    const b = parsePriceCsv(bulk);
    expect(b.report.ticker).toBe('AAPL.US');
    expect(b.bars[0]).toMatchObject({ date: '2024-01-02', open: 187.15, low: 183.885, volume: 82488674 });
  });

  it('lists every bad row with its line number and reason', () => {
    const text = [
      'Date,Open,High,Low,Close,Adj Close,Volume', // line 1
      '2024-01-02,10,11,9,10.5,10.5,1000', // 2 ok
      '2024-13-03,10,11,9,10.5,10.5,1000', // 3 bad date
      '2024-01-04,10,abc,9,10.5,10.5,1000', // 4 unparseable High
      '2024-01-05,10,8,9,8.5,8.5,1000', // 5 High < Low
      '2024-01-08,0,11,9,10.5,10.5,1000', // 6 non-positive Open
      '2024-01-02,10,11,9,10.5,10.5,1000', // 7 duplicate of line 2
      '2024-01-09,10,11,9,10.5,null,1000', // 8 Yahoo "null"
      '2024-01-10,10,11,9,10.5,10.5,-5', // 9 negative volume
      '', // blank line skipped
      '2024-01-11,10,11,9,12,12,1000', // 11 warning: Close above High
    ].join('\n');
    const { bars, report } = parsePriceCsv(text);
    const errors = report.issues.filter((i) => i.severity === 'error').map((i) => [i.line, i.kind]);
    expect(errors).toEqual([
      [3, 'unparseable-date'],
      [4, 'unparseable-number'],
      [5, 'high-below-low'],
      [6, 'non-positive-price'],
      [7, 'duplicate-date'],
      [8, 'unparseable-number'],
      [9, 'negative-volume'],
    ]);
    expect(report.issues.find((i) => i.line === 7)?.message).toContain('already appears on line 2');
    expect(report.issues.find((i) => i.line === 4)?.message).toBe('line 4: High "abc" is not a number');
    expect(report.issues.filter((i) => i.severity === 'warning').map((i) => [i.line, i.kind])).toEqual([
      [11, 'price-outside-range'],
    ]);
    expect(report.rows).toBe(9);
    expect(bars.map((b) => b.date)).toEqual(['2024-01-02', '2024-01-11']);
    // gaps between the valid rows: 3…10 Jan are sessions with no valid bar
    expect(report.gaps.missingDays).toBe(6);
  });

  it('refuses files that are not price tables with a specific message', () => {
    expect(() => parsePriceCsv('')).toThrow(PriceCsvError);
    expect(() => parsePriceCsv('   \n\n')).toThrow(/empty/);
    expect(() => parsePriceCsv('Date,Open,Close\n2024-01-02,1,2')).toThrow(/missing columns High, Low, Volume/);
    expect(() => parsePriceCsv('Date,Open,High,Low,Close,Volume\n')).toThrow(/no price rows/);
    expect(() => parsePriceCsv('PK\u0003\u0004\u0000\u0000binary')).toThrow(/not text/);
  });
});
