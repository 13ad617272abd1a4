import { expect, test } from '@playwright/test';

test('signed-out requests see only the sign-in page and no data', async ({ page, request }) => {
  for (const path of ['/', '/jobs', '/models', '/admin', '/forecast', '/credit', '/fraud', '/lab']) {
    await page.goto(path);
    await expect(page, `visiting ${path}`).toHaveURL(/\/signin$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  }
  for (const path of ['/api/jobs', '/api/models/anything/artifact']) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
    expect(await res.json()).toEqual({ error: 'Sign in first.' });
  }
  // a forged cookie is not a session
  await page.context().addCookies([{ name: 'nf_session', value: 'x'.repeat(43), url: page.url() }]);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/signin$/);
  const res = await page.request.get('/api/jobs');
  expect(res.status()).toBe(401);
});
