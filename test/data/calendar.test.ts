import { describe, expect, it } from 'vitest';
import {
  addTradingDays,
  easterSunday,
  findGaps,
  isIsoDate,
  isTradingDay,
  nyseHolidays,
  tradingDays,
} from '../../lib/data/calendar';

describe('NYSE calendar', () => {
  it('knows the 2012 holidays, including Hurricane Sandy', () => {
    // NYSE 2012: Jan 2 (New Year observed), Jan 16, Feb 20, Apr 6 (Good Friday), May 28, Jul 4, Sep 3, Nov 22, Dec 25
    expect([...nyseHolidays(2012)].sort()).toEqual([
      '2012-01-02',
      '2012-01-16',
      '2012-02-20',
      '2012-04-06',
      '2012-05-28',
      '2012-07-04',
      '2012-09-03',
      '2012-11-22',
      '2012-12-25',
    ]);
    expect(isTradingDay('2012-10-29', 'nyse')).toBe(false);
    expect(isTradingDay('2012-10-29', 'business')).toBe(true);
  });

  it('applies the observance rules', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2000)).toBe('2000-04-23');
    // New Year 2022 fell on a Saturday: not observed on Friday 2021-12-31 (Rule 7.2)
    expect(isTradingDay('2021-12-31', 'nyse')).toBe(true);
    // Independence Day 2021 on a Sunday → Monday 5 July closed
    expect(isTradingDay('2021-07-05', 'nyse')).toBe(false);
    // Juneteenth from 2022 only
    expect(isTradingDay('2023-06-19', 'nyse')).toBe(false);
    expect(isTradingDay('2020-06-19', 'nyse')).toBe(true);
    expect(isTradingDay('2024-01-06', 'nyse')).toBe(false); // Saturday
  });

  it('counts 252 sessions in 2019 and steps forward by sessions', () => {
    expect(tradingDays('2019-01-01', '2019-12-31', 'nyse')).toHaveLength(252);
    expect(addTradingDays('2012-09-12', 1, 'nyse')).toBe('2012-09-13');
    expect(addTradingDays('2012-09-14', 1, 'nyse')).toBe('2012-09-17'); // over a weekend
    expect(addTradingDays('2012-11-21', 2, 'nyse')).toBe('2012-11-26'); // over Thanksgiving
  });

  it('reports gaps against the calendar', () => {
    const r = findGaps(['2012-11-19', '2012-11-20', '2012-11-26', '2012-11-27'], 'nyse');
    // 21 and 23 Nov are sessions (22 is Thanksgiving): two missing in one gap
    expect(r.missingDays).toBe(2);
    expect(r.gaps).toEqual([{ after: '2012-11-20', before: '2012-11-26', missing: ['2012-11-21', '2012-11-23'] }]);
    expect(findGaps(['2012-11-24'], 'nyse').offCalendar).toEqual(['2012-11-24']);
  });

  it('validates ISO dates', () => {
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2021-13-01')).toBe(false);
    expect(isIsoDate('01/02/2021')).toBe(false);
  });
});
