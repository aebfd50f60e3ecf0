// Access requests end to end in headless Chromium (SPEC §15), in three steps that AccessRequestBrowserIT runs in
// turn, reading the mails in between (the SMTP server is in the test's JVM). ENSYNC_ACCESS_REQUEST_TEST (JSON):
// base, realm, step, and per step:
// - join: joinUrl, integrationName, email — a phone-sized browser opens the join page, fills the form, and is told to
//   check its inbox; the page fits the phone's width;
// - approve: verifyUrl, admin (master's bootstrap admin), appName — the requester opens the mailed link and confirms;
//   the admin opens the console's Approvals page and approves the request;
// - onboard: onboardUrl, appName — the requester opens the mailed onboarding link and gets its credentials.
// Prints one JSON line on stdout: {"secrets":[...], "clientIds": {...}}; fails with exit code 1.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const cfg = JSON.parse(process.env.ENSYNC_ACCESS_REQUEST_TEST);
const log = (...args) => console.error('[access-requests-browser]', ...args);
const secrets = [];
const result = { secrets };
const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };

async function shoot(page, name) {
  if (!cfg.screenshotDir) return;
  mkdirSync(cfg.screenshotDir, { recursive: true });
  await page.screenshot({ path: join(cfg.screenshotDir, `${name}.png`), fullPage: true });
}

async function fitsWidth(page, where) {
  // After a form's navigation an element can be visible before the page's stylesheet applies; measured then, the
  // unwrapped token URL overflowed (once, 346px). The load event comes after the stylesheets.
  await page.waitForLoadState('load');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px on a phone`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

try {
  if (cfg.step === 'join') {
    const page = await (await browser.newContext(phone)).newPage();
    const opened = await page.goto(cfg.joinUrl);
    assert.equal(opened.status(), 200);
    assert.equal((await page.getByTestId('join-integration').textContent()).trim(), cfg.integrationName);
    await fitsWidth(page, 'the join page');
    await page.getByTestId('join-app-name').fill(cfg.appName);
    await page.getByTestId('join-app-description').fill('Sends order events from the shop');
    await page.getByTestId('join-contact-email').fill(cfg.email);
    await page.getByTestId('join-field.website').fill('https://shop.partner.example');
    await shoot(page, 'join-phone');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('message-title').getByText('Check your inbox').waitFor();
    await fitsWidth(page, 'the answer page');
  } else if (cfg.step === 'approve') {
    const requester = await (await browser.newContext(phone)).newPage();
    await requester.goto(cfg.verifyUrl);
    assert.equal((await requester.getByTestId('verify-app-name').textContent()).trim(), cfg.appName);
    await requester.getByTestId('verify-confirm').click();
    await requester.getByTestId('message-title').getByText('Request confirmed').waitFor();

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const admin = await context.newPage();
    admin.on('pageerror', (error) => log('page error:', error.message));
    await admin.goto(`${cfg.base}/admin/master/console/#/${encodeURIComponent(cfg.realm)}/ensync/approvals`);
    await admin.locator('#username').fill(cfg.admin.username);
    await admin.locator('#password').fill(cfg.admin.password);
    await admin.locator('#kc-login').click();
    const requests = admin.getByTestId('ensync-pending-access-requests');
    const row = requests.getByTestId('ensync-access-request').filter({ hasText: cfg.appName });
    await row.waitFor();
    assert.ok((await row.innerText()).includes(cfg.email), 'the verified contact is shown');
    assert.ok((await row.innerText()).includes('website: https://shop.partner.example'), 'the answers are shown');
    await shoot(admin, 'admin-access-requests');
    await row.getByTestId('ensync-approve').click();
    await admin.locator('.pf-v5-c-alert-group').getByText('Approved').first().waitFor();
    await requests.waitFor({ state: 'detached' });
  } else if (cfg.step === 'onboard') {
    const page = await (await browser.newContext(phone)).newPage();
    await page.goto(cfg.onboardUrl);
    assert.equal((await page.getByTestId('invited-app').textContent()).trim(), cfg.appName);
    await page.getByTestId('start').click();
    await page.getByTestId('credentials-prod').waitFor();
    result.clientIds = {};
    for (const env of ['dev', 'stage', 'prod']) {
      result.clientIds[env] = (await page.getByTestId(`client-id-${env}`).textContent()).trim();
      secrets.push((await page.getByTestId(`secret-${env}`).textContent()).trim());
    }
    result.devSecret = secrets[0];
    await fitsWidth(page, 'the credentials page');
  } else {
    throw new Error(`unknown step ${cfg.step}`);
  }
  console.log(JSON.stringify(result));
} catch (error) {
  log(error.stack ?? error);
  console.log(JSON.stringify(result));
  process.exitCode = 1;
} finally {
  await browser.close();
}
