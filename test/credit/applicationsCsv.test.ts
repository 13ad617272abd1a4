// Importing application files: both German Credit files give the same table, column kinds are inferred and
// profiled, and bad files are refused with specific per-row / per-field messages.

import { describe, expect, it } from 'vitest';
import {
  buildApplicationTable,
  parseApplicationTable,
  previewApplicationsCsv,
  readApplicationsCsv,
} from '../../lib/credit/applicationsCsv';
import { GERMAN_ATTRIBUTES } from '../../lib/credit/germanCodes';
import { generateCreditSample } from '../../lib/credit/sample';
import { germanFile } from './helpers';

function table(text: string, target: string, badValue: string) {
  const r = parseApplicationTable(text, { target, badValue });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r;
}

describe('German Credit', () => {
  it('the coded german.csv and the named credit-g.csv import to the same 1000 rows, 300 bad', () => {
    const named = table(germanFile('credit-g.csv'), 'class', 'bad');
    // the coded file has no header: it is recognised, named and decoded through the code book
    const coded = table(germanFile('german.csv'), 'class', 'bad');
    expect(coded.csv.germanCoded).toBe(true);
    expect(coded.csv.hasHeader).toBe(false);
    expect(named.csv.hasHeader).toBe(true);
    for (const t of [named.table, coded.table]) {
      expect(t.rows).toHaveLength(1000);
      expect(t.y.reduce((a, b) => a + b, 0)).toBe(300);
      expect(t.features).toHaveLength(20);
    }
    expect(coded.table.rows).toEqual(named.table.rows);
    expect(Array.from(coded.table.y)).toEqual(Array.from(named.table.y));
    expect(coded.table.features).toEqual(named.table.features);
    // first applicant: A11 → "<0", A34 → "critical/other existing credit"
    expect(named.table.rows[0]).toMatchObject({ checking_status: '<0', duration: 6, age: 67, other_parties: 'none' });
    // file lines: the named file's header is line 1, the coded file has none
    expect(named.table.lines[0]).toBe(2);
    expect(coded.table.lines[0]).toBe(1);
  });

  it('carries the code book into the schema: labels, option texts and reason sentences', () => {
    const { table: t } = table(germanFile('credit-g.csv'), 'class', 'bad');
    const checking = t.features.find((f) => f.name === 'checking_status')!;
    expect(checking.label).toBe('Checking account balance');
    expect(checking.categories).toEqual(['<0', '0<=X<200', '>=200', 'no checking']);
    expect(checking.categoryReasons?.['<0']).toBe('Checking account balance is below 0 DM');
    expect(t.features.find((f) => f.name === 'credit_amount')).toMatchObject({
      kind: 'numeric',
      unit: 'DM',
      integer: true,
    });
    // every coded value used in the data has a code-book entry
    for (const a of GERMAN_ATTRIBUTES) {
      const f = t.features.find((x) => x.name === a.name)!;
      expect(f.kind).toBe(a.kind);
      if (a.codes) {
        const labels = Object.values(a.codes).map((c) => c.value);
        for (const c of f.categories ?? []) expect(labels).toContain(c);
      }
    }
  });

  it('profiles the columns for confirmation and suggests the target', () => {
    const r = previewApplicationsCsv(germanFile('credit-g.csv'));
    if (!r.ok) throw new Error('preview failed');
    const { preview } = r;
    expect(preview.rowCount).toBe(1000);
    expect(preview.targetCandidates[0]).toMatchObject({ name: 'class', suggestedBad: 'bad' });
    const amount = preview.columns.find((c) => c.name === 'credit_amount')!;
    expect(amount).toMatchObject({ kind: 'numeric', missing: 0, min: 250, max: 18424 });
    expect(amount.mean).toBeCloseTo(3271.258, 3);
    const purpose = preview.columns.find((c) => c.name === 'purpose')!;
    expect(purpose.kind).toBe('categorical');
    expect(purpose.distinct).toBe(10);
    // retraining (9 rows) is rare: under 1 % of the rows and under 10
    expect(purpose.rareCategories?.map((c) => c.value)).toEqual(['retraining']);
  });
});

describe('column kinds of the synthetic sample', () => {
  it('infers id, date, numeric (with missing values) and categorical columns', () => {
    const r = previewApplicationsCsv(generateCreditSample({ rows: 300 }));
    if (!r.ok) throw new Error('preview failed');
    const kind = (name: string) => r.preview.columns.find((c) => c.name === name)!;
    expect(kind('application_id').kind).toBe('id');
    expect(kind('application_date')).toMatchObject({ kind: 'date', firstDate: '2023-01-02' });
    expect(kind('age').kind).toBe('numeric');
    expect(kind('monthly_income').kind).toBe('numeric');
    expect(kind('monthly_income').missing).toBeGreaterThan(0);
    expect(kind('housing').kind).toBe('categorical');
    expect(r.preview.targetCandidates.map((c) => c.name)).toContain('defaulted');
    const t = table(generateCreditSample({ rows: 300 }), 'defaulted', 'yes').table;
    expect(t.ignored.map((g) => g.name).sort()).toEqual(['application_date', 'application_id']);
    expect(t.features.find((f) => f.name === 'monthly_income')?.allowMissing).toBe(true);
  });

  it('lets the user override a kind and leave columns out', () => {
    const text = generateCreditSample({ rows: 100 });
    const read = readApplicationsCsv(text);
    if (!read.ok) throw new Error('read failed');
    const r = buildApplicationTable(read.csv, {
      target: 'defaulted',
      badValue: 'yes',
      kinds: { previous_defaults: 'categorical' },
      exclude: ['region'],
    });
    if (!r.ok) throw new Error(r.errors[0].message);
    expect(r.table.features.find((f) => f.name === 'previous_defaults')?.kind).toBe('categorical');
    expect(r.table.features.find((f) => f.name === 'region')).toBeUndefined();
  });
});

describe('bad files are refused with specific messages', () => {
  const good = 'age,income,housing,bad\n30,1000,rent,no\n40,2000,own,yes\n50,1500,own,no\n';

  it('a file without the target column', () => {
    const r = parseApplicationTable(good, { target: 'default', badValue: 'yes' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].message).toBe('The file has no column "default". Its columns are: age, income, housing, bad.');
  });

  it('a target with one class only', () => {
    const r = parseApplicationTable('age,bad\n30,no\n40,no\n', { target: 'bad', badValue: 'no' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].message).toMatch(/has one class only: all 2 rows are "no"/);
  });

  it('a bad value that no row has', () => {
    const r = parseApplicationTable(good, { target: 'bad', badValue: 'Y' });
    expect(!r.ok && r.errors[0].message).toMatch(/No row has "bad" = "Y". The column holds "no", "yes"/);
  });

  it('non-numeric cells in a numeric column and empty targets, by line', () => {
    const text = 'age,income,bad\n30,1000,no\n40,2000,yes\n41,2100,\n';
    const read = readApplicationsCsv(text);
    if (!read.ok) throw new Error('read failed');
    // age confirmed numeric although line 5 says "forty"
    const withWord = readApplicationsCsv(`${text}forty,1200,no\n`);
    if (!withWord.ok) throw new Error('read failed');
    const r = buildApplicationTable(withWord.csv, { target: 'bad', badValue: 'yes', kinds: { age: 'numeric' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { row: 3, line: 4, field: 'bad', message: 'Line 4: the target "bad" is empty; every row needs a known outcome.' },
      { row: 4, line: 5, field: 'age', message: 'Line 5: "age" should be a number, got "forty".' },
    ]);
  });

  it('rows with the wrong number of fields, empty files, duplicate names', () => {
    const ragged = readApplicationsCsv('a,b,bad\n1,2,no\n3,yes\n');
    expect(!ragged.ok && ragged.errors[0]).toMatchObject({
      row: 2,
      line: 3,
      message: 'Line 3 has 2 fields; the header has 3.',
    });
    const empty = readApplicationsCsv('  \n');
    expect(!empty.ok && empty.errors[0].message).toBe('The file is empty.');
    const dup = readApplicationsCsv('a,a,bad\n1,2,no\n', { header: true });
    expect(!dup.ok && dup.errors[0].message).toBe('Column name "a" appears twice in the header.');
    const noRows = readApplicationsCsv('a,b,bad\n', { header: true });
    expect(!noRows.ok && noRows.errors[0].message).toBe('The file has a header but no data rows.');
  });

  it('a coded German file with an unknown code names the line and column', () => {
    const lines = germanFile('german.csv').split('\n');
    lines[2] = lines[2].replace(/^A1[1-4]/, 'A19');
    // A19 is not a checking-status code, so the file no longer looks like the coded German one: read as plain CSV
    const r = readApplicationsCsv(lines.slice(0, 5).join('\n'));
    expect(r.ok && r.csv.germanCoded).toBe(false);
    // a wrong code in a later column of a recognised file is reported with its line and column
    const lines2 = germanFile('german.csv').split('\n');
    lines2[2] = lines2[2].replace(',A201,', ',A209,');
    const r2 = readApplicationsCsv(lines2.slice(0, 5).join('\n'));
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.errors[0]).toMatchObject({ row: 3, line: 3, field: 'foreign_worker' });
    expect(r2.errors[0].message).toMatch(/code "A209" is not in the code book \(expected one of A201, A202\)/);
  });
});
