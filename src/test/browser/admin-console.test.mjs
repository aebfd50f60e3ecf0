// The EnSync pages of the real Keycloak admin console (admin theme "ensync") in headless Chromium.
// Started by AdminConsoleBrowserIT with ENSYNC_ADMIN_CONSOLE_TEST (JSON: base, realm, admin and viewer credentials,
// screenshot dir). A realm admin creates an integration and reads its key once, adds a catalog topic and sees a
// partner (created here through the API with that key) with a pending grant and promotion; a view-only admin sees the
// same pages without any way to change them; then the realm admin approves both. Prints one JSON line on stdout:
// {"integrationId","partnerId","secrets":[...]}; fails with exit code 1.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const cfg = JSON.parse(process.env.ENSYNC_ADMIN_CONSOLE_TEST);
const log = (...args) => console.error('[admin-console-browser]', ...args);
const secrets = [];
const result = { secrets };
const realmPath = encodeURIComponent(cfg.realm);
const consoleUrl = (route) => `${cfg.base}/admin/${realmPath}/console/#/${realmPath}/${route}`;
const api = (path) => `${cfg.base}/realms/${realmPath}/ensync/api/v1${path}`;

async function call(method, url, { bearer, json, form } = {}) {
  const headers = bearer ? { Authorization: `Bearer ${bearer}` } : {};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = new URLSearchParams(form);
  }
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A partner client's token; scope 'ensync-partner-api' for the partner API (its default token is the broker's). */
async function clientToken(clientId, clientSecret, scope) {
  const form = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
  if (scope) form.scope = scope;
  const res = await call('POST', `${cfg.base}/realms/${realmPath}/protocol/openid-connect/token`, { form });
  assert.equal(res.status, 200, `token for ${clientId}`);
  return res.body.access_token;
}

async function userToken({ username, password }) {
  const res = await call('POST', `${cfg.base}/realms/${realmPath}/protocol/openid-connect/token`,
    { form: { grant_type: 'password', client_id: 'admin-cli', username, password } });
  assert.equal(res.status, 200, `token for ${username}`);
  return res.body.access_token;
}

async function shoot(page, name) {
  if (!cfg.screenshotDir) return;
  mkdirSync(cfg.screenshotDir, { recursive: true });
  await page.getByRole('heading', { level: 1 }).first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(cfg.screenshotDir, `${name}.png`) });
}

async function logIn(context, { username, password }, route) {
  const page = await context.newPage();
  page.on('pageerror', (error) => log('page error:', error.message));
  await page.goto(consoleUrl(route));
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  await page.getByTestId('currentRealm').waitFor();
  return page;
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name });
const nav = (page, name) => page.locator('nav').getByRole('link', { name, exact: true }).click();
const toast = (page, text) => page.locator('.pf-v5-c-alert-group').getByText(text).first().waitFor();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

try {
  const adminContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const admin = await logIn(adminContext, cfg.admin, 'ensync/integrations');

  // ---- the EnSync section sits in the stock console's navigation, next to Keycloak's own pages
  await heading(admin, 'Integrations').waitFor();
  for (const item of ['Clients', 'Realm settings', 'Integrations', 'Partners', 'Approvals']) {
    await admin.locator('nav').getByRole('link', { name: item, exact: true }).waitFor();
  }
  await admin.getByText('No integrations yet').waitFor();

  // ---- create an integration: the key is shown once, with a plain warning
  await admin.getByTestId('ensync-create-integration').first().click();
  await admin.getByTestId('ensync-integration-name').fill('Orders');
  await admin.locator('#ensync-integration-description').fill('Order events for partner shops');
  await admin.getByTestId('ensync-create-confirm').click();
  const modal = admin.getByRole('dialog');
  await modal.getByText('It is shown only this once').waitFor();
  const key = (await modal.locator('input').inputValue()).trim();
  assert.match(key, /^ensync_ik_[A-Za-z0-9_-]{20,}$/, 'the Integration Key in the dialog');
  secrets.push(key);
  await admin.getByTestId('ensync-secret-done').click();
  await admin.getByTestId('ensync-settings-form').waitFor();
  result.integrationId = admin.url().match(/integrations\/([0-9a-f-]{36})\//)[1];

  // ---- the key cannot be read again: the keys tab shows its prefix only, and no page holds it
  await admin.getByTestId('ensync-tab-keys').click();
  await admin.getByTestId('ensync-keys').waitFor();
  assert.equal(await admin.getByTestId('ensync-keys').locator('tbody tr').count(), 1, 'one key');
  assert.ok(!(await admin.content()).includes(key), 'the key appears nowhere once its dialog is closed');

  // ---- add a catalog topic: send and receive, approved automatically in dev only
  await admin.getByTestId('ensync-tab-topics').click();
  await admin.getByTestId('ensync-topic-pattern').fill('app/order/*');
  await admin.getByTestId('ensync-add-topic-submit').click();
  await toast(admin, 'Integration saved');
  await admin.getByTestId('ensync-topics').getByText('app/order/*').waitFor();

  // ---- settings: an embed origin, saved through the form
  await admin.getByTestId('ensync-tab-settings').click();
  await admin.locator('#ensync-origins').fill('https://shop.example.com');
  await admin.getByTestId('ensync-save').click();
  await toast(admin, 'Integration saved');
  const closeButtons = admin.locator('.pf-v5-c-alert-group .pf-v5-c-alert__action button');
  while (await closeButtons.count() > 0) await closeButtons.first().click();
  await shoot(admin, 'admin-integration-form');

  // ---- a partner created through the API with that key, onboarded, with a pending grant and promotion
  const created = await call('POST', api('/external/partner'), {
    bearer: key, json: { appName: 'Acme Orders', appDescription: 'Order sync for Acme shops',
      metadata: { color: '#0b7a75', tags: ['retail', 'eu'], owner: 'ops@acme.example' } } });
  assert.equal(created.status, 201, 'partner created with the key read in the console');
  result.partnerId = created.body.data.id;
  const linkId = created.body.data.url.split('/').pop();
  const redeemed = await call('POST', api(`/partner/links/${linkId}/redeem`));
  assert.equal(redeemed.status, 200, 'link redeemed');
  const envs = Object.fromEntries(redeemed.body.data.environments.map((e) => [e.name, e]));
  for (const env of Object.values(envs)) secrets.push(env.clientSecret);
  const devToken = await clientToken(envs.dev.clientId, envs.dev.clientSecret, 'ensync-partner-api');
  const stageToken = await clientToken(envs.stage.clientId, envs.stage.clientSecret, 'ensync-partner-api');
  const devGrant = await call('POST', api('/partner/me/grants'),
    { bearer: devToken, json: { topic: 'app/order/created', scopes: ['send'] } });
  assert.equal(devGrant.body?.data?.status, 'approved', 'dev is approved automatically');
  const stageGrant = await call('POST', api('/partner/me/grants'),
    { bearer: stageToken, json: { topic: 'app/order/created', scopes: ['send', 'receive'] } });
  assert.equal(stageGrant.body?.data?.status, 'pending', 'stage waits for an admin');
  const promotion = await call('POST', api('/partner/me/promotion'), { bearer: stageToken, json: {} });
  assert.equal(promotion.status, 201, 'promotion requested');

  // ---- the integrations list, then the partner: details, clients linked to Keycloak's pages, grants, history
  await nav(admin, 'Integrations');
  await admin.getByTestId('ensync-integrations').getByRole('link', { name: 'Orders' }).waitFor();
  await shoot(admin, 'admin-integrations');
  await nav(admin, 'Partners');
  await admin.getByTestId('ensync-partner-search').locator('input').fill('acme');
  await admin.getByTestId('ensync-partner-search').locator('input').press('Enter');
  await admin.getByTestId('ensync-partners').getByRole('link', { name: 'Acme Orders' }).click();
  await heading(admin, /Acme Orders/).waitFor();
  const details = admin.getByTestId('ensync-partner-details');
  for (const text of ['Orders', 'retail', 'eu', 'ops@acme.example']) await details.getByText(text, { exact: true }).waitFor();
  const clientLink = admin.getByTestId('ensync-partner-environments').getByRole('link', { name: envs.dev.clientId });
  assert.match(await clientLink.getAttribute('href'), /#\/.+\/clients\/[0-9a-f-]{36}\/settings$/, 'link to the client page');
  await admin.getByTestId('ensync-partner-grants').getByText('Pending').waitFor();
  await admin.getByTestId('ensync-partner-promotions').getByText('stage → prod').waitFor();
  await admin.getByTestId('ensync-partner-history').getByText('ENSYNC_PARTNER').first().waitFor();
  await shoot(admin, 'admin-partner');

  // ---- a view-only admin sees the same pages and cannot change anything
  const viewerContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const viewer = await logIn(viewerContext, cfg.viewer, 'ensync/integrations');
  await viewer.getByTestId('ensync-integrations').getByRole('link', { name: 'Orders' }).click();
  await viewer.getByTestId('ensync-settings-form').waitFor();
  assert.equal(await viewer.getByTestId('ensync-save').count(), 0, 'no save for a viewer');
  assert.ok(await viewer.locator('#ensync-name').isDisabled(), 'settings are read-only for a viewer');
  assert.ok(await viewer.getByTestId('ensync-header-enabled').isDisabled(), 'enabled switch is read-only');
  assert.equal(await viewer.getByTestId('action-dropdown').count(), 0, 'no actions for a viewer');
  await viewer.getByTestId('ensync-tab-topics').click();
  await viewer.getByTestId('ensync-topics').getByText('app/order/*').waitFor();
  assert.equal(await viewer.getByTestId('ensync-add-topic').count(), 0, 'no topic form for a viewer');
  await viewer.getByTestId('ensync-tab-keys').click();
  await viewer.getByTestId('ensync-keys').waitFor();
  assert.equal(await viewer.getByTestId('ensync-create-key').count(), 0, 'no new key for a viewer');
  assert.equal(await viewer.getByRole('button', { name: 'Revoke' }).count(), 0, 'no revoke for a viewer');
  await nav(viewer, 'Integrations');
  await heading(viewer, 'Integrations').waitFor();
  assert.equal(await viewer.getByTestId('ensync-create-integration').count(), 0, 'no create for a viewer');
  await nav(viewer, 'Partners');
  await viewer.getByTestId('ensync-partners').getByRole('link', { name: 'Acme Orders' }).click();
  await viewer.getByTestId('ensync-partner-grants').getByText('Pending').waitFor();
  assert.equal(await viewer.getByTestId('action-dropdown').count(), 0, 'no suspend or offboard for a viewer');
  assert.equal(await viewer.getByTestId('ensync-approve').count(), 0, 'no approve on the partner page');
  await nav(viewer, 'Approvals');
  await viewer.getByTestId('ensync-pending-grants').getByText('app/order/created').waitFor();
  await viewer.getByTestId('ensync-pending-promotions').getByText('stage → prod').waitFor();
  assert.equal(await viewer.getByTestId('ensync-approve').count(), 0, 'no approve for a viewer');
  assert.equal(await viewer.getByTestId('ensync-deny').count(), 0, 'no deny for a viewer');
  await viewerContext.close();

  // ---- the realm admin approves the grant and the promotion on the approvals page
  await nav(admin, 'Approvals');
  const grants = admin.getByTestId('ensync-pending-grants');
  await grants.getByRole('link', { name: 'Acme Orders' }).waitFor();
  await grants.getByTestId('ensync-approve').click();
  await toast(admin, 'Approved');
  await admin.getByTestId('ensync-pending-grants').waitFor({ state: 'detached' });
  await admin.getByTestId('ensync-pending-promotions').getByTestId('ensync-approve').click();
  await admin.getByTestId('ensync-pending-promotions').waitFor({ state: 'detached' });
  assert.equal(await admin.getByText('Nothing is waiting for a decision').count(), 2, 'nothing left to decide');

  // What the partner sees through its own API afterwards.
  const stageGrants = await call('GET', api('/partner/me/grants'), { bearer: await clientToken(envs.stage.clientId, envs.stage.clientSecret, 'ensync-partner-api') });
  assert.deepEqual(stageGrants.body.data.map((g) => g.status), ['approved'], 'the stage grant is approved');
  assert.equal((await clientToken(envs.prod.clientId, envs.prod.clientSecret)).length > 0, true, 'prod tokens after promotion');

  // ---- without stored admin events, every EnSync page says the audit trail is lost
  const adminToken = await userToken(cfg.admin);
  const realmUrl = `${cfg.base}/admin/realms/${realmPath}`;
  assert.equal((await call('PUT', realmUrl, { bearer: adminToken, json: { adminEventsEnabled: false } })).status, 204);
  try {
    await admin.reload();
    await admin.getByTestId('ensync-audit-banner').getByText('This realm does not store admin events').waitFor();
    await admin.getByTestId('ensync-audit-banner').getByRole('link', { name: 'Turn on admin events' }).waitFor();
  } finally {
    assert.equal((await call('PUT', realmUrl, { bearer: adminToken, json: { adminEventsEnabled: true } })).status, 204);
  }
  await admin.reload();
  await heading(admin, 'Approvals').waitFor();
  assert.equal(await admin.getByTestId('ensync-audit-banner').count(), 0, 'no banner while admin events are stored');
  await adminContext.close();
} catch (error) {
  log(error.stack ?? error);
  process.exitCode = 1;
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
