import { expect, test } from '@playwright/test';
import { ADMIN, failOnConsoleErrors, signIn } from './helpers';

test('a wrong password is refused with a clear message, the right one signs in', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await page.goto('/signin');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That e-mail and password do not match an account.')).toBeVisible();

  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Forecast', 'Credit', 'Fraud', 'Lab', 'Models', 'Jobs', 'Admin']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: /Welcome, Ada Admin/ })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/signin$/);
  expect(errors).toEqual([]);
});

test('a role sees only its sections and is kept out of the others', async ({ page }) => {
  await signIn(page, { email: 'analyst@neuralfin.local', password: 'neuralfin-analyst' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Forecast' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();
});
