// The EnSync pages of the real Keycloak admin console in headless Chromium, as a master admin meets them: master's
// admin theme is "ensync", the managed realm's was never changed. Started by AdminConsoleBrowserIT with
// ENSYNC_ADMIN_CONSOLE_TEST (JSON: base, realm, admin = master's temporary bootstrap admin, viewer = a master user
// with view-clients on the realm, receiver = the base URL of an HTTP server in the test JVM that answers 204, 410 at
// /gone, and lists what it got at GET /received; screenshot dir).
// 1. The stock console (keycloak.v2) and the ensync console for the same admin and realm: every navigation entry and
//    banner of the stock one is in the ensync one, plus the EnSync section.
// 2. The admin creates an integration with only a name and reads its key once, adds a catalog topic and sees a
//    partner (created here through the API with that key) with a pending grant and promotion; adds a webhook endpoint
//    at the receiver (its secret shown once), sends a test event, finds it delivered in the delivery log and replays
//    it, rotates the secret, edits the endpoint, sees one answering 410 disabled; the viewer sees the
//    same pages without any way to change them; then the admin approves both. No page shows a message key.
// 3. With German as the default locale of master and of the realm (and a browser asking for French, which neither
//    offers), every EnSync page and the partner portal are German: no English EnSync string, no key.
// Prints one JSON line on stdout: {"integrationId","partnerId","webhookId","webhookMessages","secrets":[...]}; fails
// with exit code 1.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const { Webhook: StandardWebhook } = createRequire(import.meta.url)('standardwebhooks');

const cfg = JSON.parse(process.env.ENSYNC_ADMIN_CONSOLE_TEST);
const log = (...args) => console.error('[admin-console-browser]', ...args);
const secrets = [];
const result = { secrets };
const realmPath = encodeURIComponent(cfg.realm);
// The master realm's console, on the managed realm's pages.
const consoleUrl = (route) => `${cfg.base}/admin/master/console/#/${realmPath}/${route}`;
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

async function masterToken() {
  const { username, password } = cfg.admin;
  const res = await call('POST', `${cfg.base}/realms/master/protocol/openid-connect/token`,
    { form: { grant_type: 'password', client_id: 'admin-cli', username, password } });
  assert.equal(res.status, 200, `token for ${username}`);
  return res.body.access_token;
}

/** Changes a realm's settings through Keycloak's admin API (admin theme, locales). */
async function updateRealm(name, settings) {
  const res = await call('PUT', `${cfg.base}/admin/realms/${encodeURIComponent(name)}`, { bearer: await masterToken(), json: settings });
  assert.equal(res.status, 204, `update realm ${name}`);
}

/** A theme's message bundle (the files the server ships), for telling English from German on the pages. */
function bundle(path) {
  const text = readFileSync(new URL(`../../../themes/${path}`, import.meta.url), 'utf8');
  return Object.fromEntries(text.split(/\r?\n/).filter((l) => l && !/^[#!]/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
const consoleEn = bundle('ensync/admin/messages/messages_en.properties');
const consoleDe = bundle('ensync/admin/messages/messages_de.properties');
const portalEn = bundle('ensync-portal/login/messages/messages_en.properties');
const portalDe = bundle('ensync-portal/login/messages/messages_de.properties');

/** Fails when the page shows anything that looks like one of EnSync's message keys (ensyncSection, …). */
async function noKeys(page, where) {
  const keys = (await page.locator('body').innerText()).match(/\bensync[A-Z][A-Za-z0-9-]*/g);
  assert.equal(keys, null, `message keys shown on ${where}: ${keys}`);
}

/**
 * Fails when the page shows an English EnSync string that German says differently: a one-word string as a whole text
 * of the page, a longer one anywhere (each piece between placeholders).
 */
async function noEnglish(page, where, en, de) {
  const body = await page.locator('body').innerText();
  const pieces = new Set(await page.locator('body').evaluate((root) => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) out.push(walker.currentNode.textContent.trim());
    return out.filter(Boolean);
  }));
  const found = [];
  for (const [key, value] of Object.entries(en)) {
    if (de[key] === value) continue;
    for (const piece of value.split(/\{\{[^}]*\}\}|\$\{[^}]*\}/).map((p) => p.trim()).filter((p) => p.length > 2)) {
      if (/\s/.test(piece) ? body.includes(piece) : pieces.has(piece)) found.push(`${key}: ${piece}`);
    }
  }
  assert.deepEqual(found, [], `English strings on the German ${where}`);
}

/** Every navigation entry of the console (id, text) and every banner's text. */
async function frame(page) {
  await page.locator('#nav-item-clients').waitFor();
  const entries = await page.locator('.keycloak__page_nav__nav nav a').evaluateAll((links) =>
    links.map((a) => `${a.id}: ${a.textContent.trim()}`));
  const banners = await page.locator('.pf-v5-c-banner').allInnerTexts();
  return { entries, banners: banners.map((b) => b.trim()) };
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
  page.on('console', (message) => message.type() === 'error' && log('console error:', message.text()));
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
  // ---- 1. the stock console and the ensync console, same admin, same realm
  await updateRealm('master', { adminTheme: 'keycloak.v2' });
  const adminContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const admin = await logIn(adminContext, cfg.admin, 'clients');
  await admin.getByText('You are logged in as a temporary admin user').first().waitFor();
  const stock = await frame(admin);
  assert.ok(stock.entries.length >= 12, `the stock navigation: ${stock.entries}`);
  assert.equal(stock.entries.some((e) => /ensync/i.test(e)), false, 'the stock console has no EnSync pages');
  log('stock console:', JSON.stringify(stock));

  await updateRealm('master', { adminTheme: 'ensync' });
  await admin.reload();
  await admin.locator('#nav-item-ensync-integrations').waitFor();
  await admin.getByText('You are logged in as a temporary admin user').first().waitFor();
  const ensync = await frame(admin);
  log('ensync console:', JSON.stringify(ensync));
  assert.deepEqual(ensync.entries.filter((e) => !e.startsWith('nav-item-ensync-')), stock.entries,
    'every stock navigation entry, in the stock order, and no other');
  assert.deepEqual(ensync.entries.slice(-3), ['nav-item-ensync-integrations: Integrations',
    'nav-item-ensync-partners: Partners', 'nav-item-ensync-approvals: Approvals'], 'the EnSync section, last');
  assert.deepEqual(ensync.banners, stock.banners, 'the stock banners');
  await admin.locator('nav').getByText('EnSync partners', { exact: true }).waitFor();
  await noKeys(admin, 'the clients page');

  // ---- 2. the EnSync section sits in the stock console's navigation, next to Keycloak's own pages
  await nav(admin, 'Integrations');
  await heading(admin, 'Integrations').waitFor();
  for (const item of ['Clients', 'Realm settings', 'Integrations', 'Partners', 'Approvals']) {
    await admin.locator('nav').getByRole('link', { name: item, exact: true }).waitFor();
  }
  await admin.getByText('No integrations yet').waitFor();
  await noKeys(admin, 'the empty integrations page');

  // ---- create an integration: the key is shown once, with a plain warning
  // ---- create an integration with only a name (the description is optional): the key is shown once
  await admin.getByTestId('ensync-create-integration').first().click();
  await admin.getByTestId('ensync-integration-name').fill('Orders');
  await noKeys(admin, 'the create dialog');
  await admin.getByTestId('ensync-create-confirm').click();
  const modal = admin.getByRole('dialog');
  await modal.getByText('It is shown only this once').waitFor();
  await noKeys(admin, 'the key dialog');
  const key = (await modal.locator('input').inputValue()).trim();
  assert.match(key, /^ensync_ik_[A-Za-z0-9_-]{20,}$/, 'the Integration Key in the dialog');
  secrets.push(key);
  await admin.getByTestId('ensync-secret-done').click();
  await admin.getByTestId('ensync-settings-form').waitFor();
  await noKeys(admin, 'the settings tab');
  result.integrationId = admin.url().match(/integrations\/([0-9a-f-]{36})\//)[1];

  // ---- the key cannot be read again: the keys tab shows its prefix only, and no page holds it
  await admin.getByTestId('ensync-tab-keys').click();
  await admin.getByTestId('ensync-keys').waitFor();
  assert.equal(await admin.getByTestId('ensync-keys').locator('tbody tr').count(), 1, 'one key');
  assert.ok(!(await admin.content()).includes(key), 'the key appears nowhere once its dialog is closed');
  await noKeys(admin, 'the keys tab');

  // ---- add a catalog topic: send and receive, approved automatically in dev only
  await admin.getByTestId('ensync-tab-topics').click();
  await admin.getByText('No topics in the catalog').waitFor();
  await noKeys(admin, 'the empty topic catalog');
  await admin.getByTestId('ensync-topic-pattern').fill('app/order/*');
  await admin.getByTestId('ensync-add-topic-submit').click();
  await toast(admin, 'Integration saved');
  await admin.getByTestId('ensync-topics').getByText('app/order/*').waitFor();

  // ---- settings: a description and an embed origin, saved through the form; then the description emptied again,
  // which removes it (an optional field left empty is no value)
  const closeButtons = admin.locator('.pf-v5-c-alert-group .pf-v5-c-alert__action button');
  const stored = async () => (await call('GET', `${cfg.base}/admin/realms/${realmPath}/ensync/integrations/${result.integrationId}`,
    { bearer: await masterToken() })).body.data;
  await admin.getByTestId('ensync-tab-settings').click();
  await admin.locator('#ensync-description').fill('Order events for partner shops');
  await admin.locator('#ensync-origins').fill('https://shop.example.com');
  await admin.getByTestId('ensync-save').click();
  await toast(admin, 'Integration saved');
  assert.equal((await stored()).description, 'Order events for partner shops', 'description saved');
  while (await closeButtons.count() > 0) await closeButtons.first().click();
  await admin.locator('#ensync-description').fill('');
  await admin.getByTestId('ensync-save').click();
  await toast(admin, 'Integration saved');
  assert.equal((await stored()).description ?? null, null, 'an emptied description is removed');
  assert.deepEqual((await stored()).allowedEmbedOrigins, ['https://shop.example.com'], 'the origin kept');
  while (await closeButtons.count() > 0) await closeButtons.first().click();
  await shoot(admin, 'admin-integration-form');

  // ---- webhooks: an endpoint at the receiver in the test JVM (the IT server allows private targets); its signing
  // secret is shown once; a test event lands in the delivery log as delivered and verifies with that secret
  // (standardwebhooks, the reference library); a replay sends the same message again; a rotation shows a new
  // secret once and both sign during the overlap; an endpoint answering 410 is disabled by the server, with a banner
  const hookUrl = `${cfg.receiver}/hooks/orders`;
  const received = async (path) => (await call('GET', `${cfg.receiver}/received`)).body.filter((r) => r.path === path);
  /** Polls the receiver (bounded) until `done` holds for what it got at `path`. */
  const awaitReceived = async (path, done, what) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got = await received(path);
      if (done(got)) return got;
      if (Date.now() > deadline) assert.fail(`the receiver at ${path} did not get ${what}; got ${JSON.stringify(got)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const verify = (secret, r) => new StandardWebhook(secret).verify(r.body,
    { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature });
  const storedWebhooks = async () => (await call('GET',
    `${cfg.base}/admin/realms/${realmPath}/ensync/integrations/${result.integrationId}/webhooks`, { bearer: await masterToken() })).body.data;
  const webhookRow = (page, url) => page.getByTestId('ensync-webhook-row').filter({ hasText: url });
  const rowAction = async (url, action) => {
    await webhookRow(admin, url).getByRole('button', { name: 'Kebab toggle' }).click();
    await admin.getByRole('menuitem', { name: action, exact: true }).click();
  };
  const deliveryRow = (page, id) => page.locator(`[data-testid="ensync-delivery-row"][data-message-id="${id}"]`);
  const closeToasts = async () => { while (await closeButtons.count() > 0) await closeButtons.first().click(); };

  await admin.getByTestId('ensync-tab-webhooks').click();
  await admin.getByText('No webhook endpoints').waitFor();
  await noKeys(admin, 'the empty webhooks tab');
  await admin.getByTestId('ensync-add-webhook').click();
  const hookForm = admin.getByRole('dialog');
  await hookForm.getByTestId('ensync-webhook-url').fill(hookUrl);
  await hookForm.locator('#ensync-webhook-description').fill('Order backend');
  await hookForm.locator('[id="ensync-webhook-event-partner.created"]').check();
  await hookForm.locator('[id="ensync-webhook-event-partner.onboarded"]').check();
  await noKeys(admin, 'the add-endpoint dialog');
  await hookForm.getByTestId('ensync-webhook-save').click();
  const secretModal = admin.getByRole('dialog');
  await secretModal.getByText('It is shown only this once').waitFor();
  await noKeys(admin, 'the signing-secret dialog');
  const firstSecret = (await secretModal.locator('input').inputValue()).trim();
  assert.match(firstSecret, /^whsec_[A-Za-z0-9+/]{40,}={0,2}$/, 'the signing secret in the dialog');
  secrets.push(firstSecret);
  await admin.getByTestId('ensync-secret-done').click();
  const hookRow = webhookRow(admin, hookUrl);
  await hookRow.getByText('Order backend').waitFor();
  for (const text of ['partner.created', 'partner.onboarded', 'Enabled']) await hookRow.getByText(text, { exact: true }).waitFor();
  assert.ok(!(await admin.content()).includes(firstSecret), 'the secret appears nowhere once its dialog is closed');
  let [hook] = await storedWebhooks();
  assert.deepEqual([hook.url, hook.description, hook.eventTypes, hook.enabled, hook.secret],
    [hookUrl, 'Order backend', ['partner.created', 'partner.onboarded'], true, undefined], 'the endpoint as stored');
  result.webhookId = hook.id;

  // A test event: delivered (the log follows it until it is settled), answered 204, signed with the secret shown.
  await rowAction(hookUrl, 'Send test event');
  await toast(admin, 'Test event queued');
  const deliveryLog = admin.getByTestId('ensync-deliveries');
  await deliveryLog.getByText(`Delivery log of ${hookUrl}`).waitFor();
  const testRow = deliveryLog.getByTestId('ensync-delivery-row').filter({ hasText: 'webhook.test' });
  await testRow.getByText('Delivered', { exact: true }).waitFor();
  const testId = await testRow.getAttribute('data-message-id');
  assert.match(testId, /^msg_/, 'the message id is the webhook-id');
  assert.equal(await testRow.getByTestId('ensync-delivery-attempts').innerText(), '1', 'one attempt');
  assert.equal(await testRow.getByTestId('ensync-delivery-answer').innerText(), '204', 'the receiver answered 204');
  assert.match(await testRow.innerText(), /\b\d+ ms\b/, 'the latency');
  let got = await received('/hooks/orders');
  assert.deepEqual(got.map((r) => [r.id, JSON.parse(r.body).type]), [[testId, 'webhook.test']], 'the receiver got the test event');
  verify(firstSecret, got[0]);
  await noKeys(admin, 'the delivery log');
  await closeToasts();
  await shoot(admin, 'admin-integration-webhooks');

  // Replay: the same message (same webhook-id and body) sent again, delivered again.
  await deliveryRow(admin, testId).getByTestId('ensync-delivery-replay').click();
  await toast(admin, 'Replay queued');
  got = await awaitReceived('/hooks/orders', (g) => g.length === 2, 'the replay');
  assert.deepEqual(got.map((r) => r.id), [testId, testId], 'the replay has the same webhook-id');
  assert.equal(got[1].body, got[0].body, 'and the same body');
  verify(firstSecret, got[1]);
  await deliveryLog.getByTestId('ensync-deliveries-refresh').click();
  await deliveryRow(admin, testId).getByText('Delivered', { exact: true }).waitFor();
  assert.equal(await deliveryLog.getByTestId('ensync-delivery-row').count(), 1, 'a replay is the same message, not a new one');
  assert.equal(await deliveryRow(admin, testId).getByTestId('ensync-delivery-attempts').innerText(), '1',
    'the replay starts the attempts anew');

  // Rotate: a new secret, shown once; during the overlap both secrets sign.
  await closeToasts();
  await rowAction(hookUrl, 'Rotate secret');
  await admin.getByRole('dialog').getByText('Rotate the signing secret?').waitFor();
  await noKeys(admin, 'the rotate dialog');
  await admin.getByTestId('confirm').click();
  await admin.getByRole('dialog').getByText('New signing secret').waitFor();
  const secondSecret = (await admin.getByRole('dialog').locator('input').inputValue()).trim();
  assert.match(secondSecret, /^whsec_/, 'the rotated secret');
  assert.notEqual(secondSecret, firstSecret, 'a new secret');
  secrets.push(secondSecret);
  await admin.getByTestId('ensync-secret-done').click();
  await hookRow.getByText('The previous secret signs too until').waitFor();
  assert.ok(!(await admin.content()).includes(secondSecret), 'the rotated secret appears nowhere once its dialog is closed');
  await rowAction(hookUrl, 'Send test event');
  await toast(admin, 'Test event queued');
  await deliveryLog.getByTestId('ensync-delivery-row').nth(1).waitFor();
  const rotatedRow = deliveryLog.getByTestId('ensync-delivery-row').first();
  await rotatedRow.getByText('Delivered', { exact: true }).waitFor();
  const rotatedId = await rotatedRow.getAttribute('data-message-id');
  assert.notEqual(rotatedId, testId, 'a second test event is a new message');
  got = await received('/hooks/orders');
  assert.deepEqual(got.map((r) => r.id), [testId, testId, rotatedId], 'what the receiver got');
  assert.equal(got[2].signature.split(' ').length, 2, 'two signatures during the overlap');
  verify(secondSecret, got[2]);
  verify(firstSecret, got[2]);

  // Edit: the description emptied (no value), one event type left.
  await closeToasts();
  await rowAction(hookUrl, 'Edit');
  const editForm = admin.getByRole('dialog');
  assert.equal(await editForm.getByTestId('ensync-webhook-url').inputValue(), hookUrl, 'the form holds the endpoint');
  await editForm.locator('#ensync-webhook-description').fill('');
  await editForm.locator('[id="ensync-webhook-event-partner.onboarded"]').uncheck();
  await noKeys(admin, 'the edit-endpoint dialog');
  await editForm.getByTestId('ensync-webhook-save').click();
  await toast(admin, 'Endpoint saved');
  await hookRow.getByText('partner.onboarded', { exact: true }).waitFor({ state: 'detached' });
  [hook] = await storedWebhooks();
  assert.equal(hook.description ?? null, null, 'an emptied description is removed');
  assert.deepEqual(hook.eventTypes, ['partner.created'], 'one event type left');

  // An endpoint that answers 410: its test event fails, the server disables it and the page says so; enabled again,
  // then deleted.
  await closeToasts();
  const goneUrl = `${cfg.receiver}/gone`;
  const gone = await call('POST', `${cfg.base}/admin/realms/${realmPath}/ensync/integrations/${result.integrationId}/webhooks`,
    { bearer: await masterToken(), json: { url: goneUrl } });
  assert.equal(gone.status, 201, 'a second endpoint');
  secrets.push(gone.body.data.secret);
  await admin.reload();
  await webhookRow(admin, goneUrl).getByText('All events').waitFor();
  await rowAction(goneUrl, 'Send test event');
  await toast(admin, 'Test event queued');
  const goneRow = admin.getByTestId('ensync-deliveries').getByTestId('ensync-delivery-row').first();
  await goneRow.getByText('Failed', { exact: true }).waitFor();
  assert.equal(await goneRow.getByTestId('ensync-delivery-answer').innerText(), '410', 'the receiver answered 410');
  await webhookRow(admin, goneUrl).getByTestId('ensync-webhook-disabled-reason')
    .getByText('Disabled by the server: the endpoint answered 410 Gone').waitFor();
  await webhookRow(admin, goneUrl).getByText('Disabled', { exact: true }).waitFor();
  await admin.getByTestId('ensync-webhooks-disabled-banner').getByText('Webhook endpoints disabled by the server: 1').waitFor();
  await noKeys(admin, 'the disabled endpoint');
  await admin.getByTestId('ensync-tab-settings').click();
  await admin.getByTestId('ensync-webhooks-disabled-banner').getByRole('button', { name: 'Open the webhooks' }).click();
  await closeToasts();
  await rowAction(goneUrl, 'Enable');
  await toast(admin, 'Endpoint enabled');
  await admin.getByTestId('ensync-webhooks-disabled-banner').waitFor({ state: 'detached' });
  assert.equal(await webhookRow(admin, goneUrl).getByTestId('ensync-webhook-disabled-reason').count(), 0, 'no reason once enabled');
  await rowAction(goneUrl, 'Delete');
  await admin.getByRole('dialog').getByText(`Delete the endpoint ${goneUrl}?`).waitFor();
  await admin.getByTestId('confirm').click();
  await toast(admin, 'Endpoint deleted');
  await webhookRow(admin, goneUrl).waitFor({ state: 'detached' });
  assert.deepEqual((await storedWebhooks()).map((w) => w.url), [hookUrl], 'one endpoint left');
  assert.equal((await received('/gone')).length, 1, 'the 410 endpoint got its test event once');
  result.webhookMessages = { test: testId, rotated: rotatedId };
  await closeToasts();

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
  await noKeys(admin, 'the integrations list');
  await shoot(admin, 'admin-integrations');
  await nav(admin, 'Partners');
  await admin.getByTestId('ensync-partners').waitFor();
  await noKeys(admin, 'the partners list');
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
  await noKeys(admin, 'the partner page');
  await shoot(admin, 'admin-partner');

  // ---- a view-only admin sees the same pages and cannot change anything
  const viewerContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const viewer = await logIn(viewerContext, cfg.viewer, 'ensync/integrations');
  await viewer.getByTestId('ensync-integrations').getByRole('link', { name: 'Orders' }).click();
  await viewer.getByTestId('ensync-settings-form').waitFor();
  await noKeys(viewer, "the viewer's settings tab");
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
  await viewer.getByTestId('ensync-tab-webhooks').click();
  await viewer.getByTestId('ensync-webhooks').getByText(`${cfg.receiver}/hooks/orders`).waitFor();
  assert.equal(await viewer.getByTestId('ensync-add-webhook').count(), 0, 'no new endpoint for a viewer');
  assert.equal(await viewer.getByRole('button', { name: 'Kebab toggle' }).count(), 0, 'no endpoint actions for a viewer');
  await viewer.getByTestId('ensync-webhook-deliveries').click();
  await viewer.getByTestId('ensync-delivery-row').first().waitFor();
  await noKeys(viewer, "the viewer's delivery log");
  assert.equal(await viewer.getByTestId('ensync-delivery-replay').count(), 0, 'no replay for a viewer');
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
  await noKeys(viewer, "the viewer's approvals page");
  assert.equal(await viewer.getByTestId('ensync-approve').count(), 0, 'no approve for a viewer');
  assert.equal(await viewer.getByTestId('ensync-deny').count(), 0, 'no deny for a viewer');
  await viewerContext.close();

  // ---- the realm admin approves the grant and the promotion on the approvals page
  await nav(admin, 'Approvals');
  const grants = admin.getByTestId('ensync-pending-grants');
  await grants.getByRole('link', { name: 'Acme Orders' }).waitFor();
  await noKeys(admin, 'the approvals page');
  await shoot(admin, 'admin-approvals');
  await grants.getByTestId('ensync-approve').click();
  await toast(admin, 'Approved');
  await admin.getByTestId('ensync-pending-grants').waitFor({ state: 'detached' });
  await admin.getByTestId('ensync-pending-promotions').getByTestId('ensync-approve').click();
  await admin.getByTestId('ensync-pending-promotions').waitFor({ state: 'detached' });
  assert.equal(await admin.getByText('Nothing is waiting for a decision').count(), 3, 'nothing left to decide: access requests, grants, promotions');

  // What the partner sees through its own API afterwards.
  const stageGrants = await call('GET', api('/partner/me/grants'), { bearer: await clientToken(envs.stage.clientId, envs.stage.clientSecret, 'ensync-partner-api') });
  assert.deepEqual(stageGrants.body.data.map((g) => g.status), ['approved'], 'the stage grant is approved');
  assert.equal((await clientToken(envs.prod.clientId, envs.prod.clientSecret)).length > 0, true, 'prod tokens after promotion');

  // ---- without stored admin events, every EnSync page says the audit trail is lost
  const adminToken = await masterToken();
  const realmUrl = `${cfg.base}/admin/realms/${realmPath}`;
  assert.equal((await call('PUT', realmUrl, { bearer: adminToken, json: { adminEventsEnabled: false } })).status, 204);
  try {
    await admin.reload();
    await admin.getByTestId('ensync-audit-banner').getByText('This realm does not store admin events').waitFor();
    await admin.getByTestId('ensync-audit-banner').getByRole('link', { name: 'Turn on admin events' }).waitFor();
    await noKeys(admin, 'the audit banner');
  } finally {
    assert.equal((await call('PUT', realmUrl, { bearer: adminToken, json: { adminEventsEnabled: true } })).status, 204);
  }
  await admin.reload();
  await heading(admin, 'Approvals').waitFor();
  assert.equal(await admin.getByTestId('ensync-audit-banner').count(), 0, 'no banner while admin events are stored');
  await adminContext.close();

  // ---- 3. German: the default locale of master (the admin's realm) and of the managed realm (the partner's);
  // the browser asks for French, which neither realm offers, so Keycloak falls back to the realm's default.
  const german = { internationalizationEnabled: true, supportedLocales: ['en', 'de'], defaultLocale: 'de' };
  await updateRealm('master', german);
  await updateRealm(cfg.realm, german);
  try {
    const deContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'fr-FR' });
    const de = await logIn(deContext, cfg.admin, 'ensync/integrations');
    const germanPage = async (route, ready, where) => {
      await de.goto(consoleUrl(route));
      await ready();
      await noKeys(de, where);
      await noEnglish(de, where, consoleEn, consoleDe);
    };
    await germanPage('ensync/integrations', () => de.getByTestId('ensync-integrations').getByRole('link', { name: 'Orders' }).waitFor(),
      'integrations page');
    await heading(de, 'Integrationen').waitFor();
    for (const item of ['Integrationen', 'Partner', 'Freigaben']) {
      await de.locator('nav').getByRole('link', { name: item, exact: true }).waitFor();
    }
    await de.locator('nav').getByText('EnSync-Partner', { exact: true }).waitFor();
    await shoot(de, 'admin-integrations-de');
    const integration = `ensync/integrations/${result.integrationId}`;
    await germanPage(`${integration}/settings`, () => de.getByTestId('ensync-settings-form').waitFor(), 'settings tab');
    await germanPage(`${integration}/topics`, () => de.getByTestId('ensync-topics').getByText('app/order/*').waitFor(), 'topic catalog');
    await germanPage(`${integration}/keys`, () => de.getByTestId('ensync-keys').waitFor(), 'keys tab');
    await germanPage(`${integration}/webhooks`, () => de.getByTestId('ensync-webhooks').waitFor(), 'webhooks tab');
    await de.getByTestId('ensync-webhook-deliveries').click();
    await de.getByTestId('ensync-delivery-row').filter({ hasText: 'webhook.test' }).first().getByText('Zugestellt').waitFor();
    await noKeys(de, 'delivery log');
    await noEnglish(de, 'delivery log', consoleEn, consoleDe);
    await germanPage('ensync/partners', () => de.getByTestId('ensync-partners').getByRole('link', { name: 'Acme Orders' }).waitFor(),
      'partners page');
    await germanPage(`ensync/partners/${result.partnerId}`, () => de.getByTestId('ensync-partner-history').getByText('ENSYNC_PARTNER').first().waitFor(),
      'partner page');
    await germanPage('ensync/approvals', () => de.getByText('Nichts wartet auf eine Entscheidung').first().waitFor(), 'approvals page');
    await de.goto(consoleUrl('ensync/integrations'));
    await de.getByTestId('ensync-create-integration').first().click();
    await de.getByRole('dialog').getByText('Integration anlegen').first().waitFor();
    await noKeys(de, 'create dialog');
    await noEnglish(de, 'create dialog', consoleEn, consoleDe);

    // The partner portal of a new partner's one-time link, in German too.
    const another = await call('POST', api('/external/partner'), { bearer: key, json: { appName: 'Acme Returns' } });
    assert.equal(another.status, 201, 'second partner');
    const portal = await deContext.newPage();
    await portal.goto(new URL(another.body.data.url, cfg.base).href);
    await portal.getByText(portalDe.linkIntro).waitFor();
    assert.equal(await portal.locator('html').getAttribute('lang'), 'de', 'the portal says it is German');
    await noEnglish(portal, 'portal link page', portalEn, portalDe);
    await deContext.close();
  } finally {
    const english = { internationalizationEnabled: false, supportedLocales: [], defaultLocale: 'en' };
    await updateRealm('master', english);
    await updateRealm(cfg.realm, english);
  }
} catch (error) {
  log(error.stack ?? error);
  process.exitCode = 1;
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
