import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

const ANALYST = { email: 'analyst@neuralfin.local', password: 'neuralfin-analyst' };

/** 60 weekdays of a Yahoo file, newest first, with four bad rows. */
function badPriceCsv(): string {
  const rows: string[] = [];
  const day = new Date(Date.UTC(2024, 0, 2));
  let price = 100;
  while (rows.length < 60) {
    const wd = day.getUTCDay();
    const iso = day.toISOString().slice(0, 10);
    // weekdays that are NYSE sessions (Martin Luther King Day and Presidents' Day are holidays)
    if (wd !== 0 && wd !== 6 && iso !== '2024-01-15' && iso !== '2024-02-19') {
      price *= 1 + 0.01 * Math.sin(rows.length);
      const p = price.toFixed(2);
      rows.push(
        `${day.toISOString().slice(0, 10)},${p},${(price * 1.01).toFixed(2)},${(price * 0.99).toFixed(2)},${p},${p},${1000 + rows.length}`,
      );
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  rows[4] = rows[4].replace(/^(\S+?),[^,]+,/, '$1,abc,'); // unreadable Open
  rows[9] = rows[9].replace(/^\S+?,/, '2024-13-45,'); // unreadable date
  rows[14] = rows[14]
    .split(',')
    .map((v, i) => (i === 2 ? '1' : v))
    .join(','); // High below Low
  rows[20] = rows[19]; // duplicate date
  return ['Date,Open,High,Low,Close,Adj Close,Volume', ...rows.reverse()].join('\r\n');
}

test('a price file with bad rows is listed row by row, refused, then imported without them; a short series is refused for the backtest', async ({
  page,
}) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page, ANALYST);
  await page.goto('/forecast/import');
  const file = page.getByLabel('Price file (CSV, up to 25 MB)');

  // not a price table at all
  await file.setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('name,comment\nx,y\n') });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByTestId('import-refused')).toContainText('notes.csv');

  // bad rows: each is listed with its line, column and reason, and the import waits for a decision
  await file.setInputFiles({ name: 'BAD.csv', mimeType: 'text/csv', buffer: Buffer.from(badPriceCsv()) });
  await page.getByRole('button', { name: 'Check file' }).click();
  const issues = page.getByTestId('issues-table');
  await expect(issues.locator('tbody tr')).toHaveCount(4);
  for (const problem of ['unreadable number', 'unreadable date', 'High below Low', 'duplicate date']) {
    await expect(issues).toContainText(problem);
  }
  await expect(page.getByTestId('report-rows')).toHaveText('56 valid of 60');
  await expect(page.getByRole('button', { name: 'Import 60 rows' })).toBeDisabled();
  await page.getByLabel(/Leave out the 4 bad rows/).check();
  await page.getByRole('button', { name: 'Import 56 rows' }).click();
  await expect(page.getByRole('status')).toContainText('Imported “BAD”: 56 daily bars.');

  // 56 days cannot hold the default 504-sample train window: the form says what is needed, nothing is queued
  await page.getByRole('link', { name: 'Start a backtest on BAD' }).click();
  await page.getByRole('button', { name: 'Start backtest' }).click();
  await expect(page.getByTestId('form-error')).toContainText('too few rows: the data has 56 days');
  await expect(page).toHaveURL(/\/forecast\/new/);

  // and an unknown ticker download offline (or unknown) is refused with a message, not a stack trace
  await page.goto('/forecast/import');
  await page.getByLabel('Ticker', { exact: true }).fill('NOT A TICKER');
  await page.getByRole('button', { name: 'Download' }).click();
  await expect(page.getByText('Letters, digits and . ^ = - only, e.g. AAPL.').first()).toBeVisible();
  expect(errors).toEqual([]);
});
