// The partner portal in real headless Chromium (Debian's /usr/bin/chromium) against the real Keycloak.
// Started by PortalBrowserIT with ENSYNC_PORTAL_TEST (JSON: urls, realm, screenshot dir). Prints one JSON line on
// stdout: {"secrets":[...]} (every secret the pages showed, for the secret-leak check); fails with exit code 1.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';

const cfg = JSON.parse(process.env.ENSYNC_PORTAL_TEST);
const secrets = [];
const log = (...args) => console.error('[portal-browser]', ...args);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const XSS = '<img src=x onerror=alert(1)>';

async function token(clientId, clientSecret) {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const res = await fetch(`${cfg.base}/realms/${cfg.realm}/protocol/openid-connect/token`, { method: 'POST', body });
  return res.status;
}

async function sendClaim(clientId, clientSecret) {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const res = await fetch(`${cfg.base}/realms/${cfg.realm}/protocol/openid-connect/token`, { method: 'POST', body });
  assert.equal(res.status, 200);
  const { access_token: jwt } = await res.json();
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).ensync.send;
}

// A client assertion (RFC 7523) signed with node's crypto: ES256 in JOSE form (r || s), kid in the header.
async function tokenWithKey(clientId, privateKey, kid) {
  const tokenUrl = `${cfg.base}/realms/${cfg.realm}/protocol/openid-connect/token`;
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid })}.${b64({ iss: clientId, sub: clientId, aud: tokenUrl, jti: randomUUID(), iat: now, exp: now + 60 })}`;
  const signature = createSign('SHA256').update(input).sign({ key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: `${input}.${signature}` });
  const res = await fetch(tokenUrl, { method: 'POST', body });
  return res.status;
}

async function shoot(page, name, mask) {
  mkdirSync(cfg.screenshotDir, { recursive: true });
  for (const [suffix, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    // Secrets are masked: the pictures show the layout, never a credential.
    await page.screenshot({ path: join(cfg.screenshotDir, `${name}-${suffix}.png`), fullPage: true,
      mask: mask ? [page.locator('.secret')] : [], maskColor: '#c9ced8' });
  }
  await page.setViewportSize(DESKTOP);
}

async function secretOf(scope, testId) {
  const value = (await scope.getByTestId(testId).textContent()).trim();
  assert.ok(value.length >= 16, `a secret in ${testId}`);
  secrets.push(value);
  return value;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Playwright gives every launch a fresh temporary profile (user-data-dir).
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

try {
  // ---- onboarding, copy, rotation with grace and immediate revoke, history, second tab
  {
    const context = await browser.newContext({ viewport: DESKTOP });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: cfg.base });
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });

    const first = await page.goto(cfg.onboardUrl);
    assert.equal(first.status(), 200);
    assert.equal(await page.getByTestId('inviter').textContent(), cfg.integrationName);
    assert.equal(await page.getByTestId('invited-app').textContent(), 'Acme Orders');
    await shoot(page, 'link', false);

    await page.getByTestId('start').click();
    await page.getByTestId('credentials-prod').waitFor();
    const clientIds = {};
    const original = {};
    for (const env of ['dev', 'stage', 'prod']) {
      clientIds[env] = (await page.getByTestId(`client-id-${env}`).textContent()).trim();
      original[env] = await secretOf(page, `secret-${env}`);
    }
    assert.ok((await page.getByTestId('token-url-dev').textContent()).endsWith(`/realms/${cfg.realm}/protocol/openid-connect/token`));
    await shoot(page, 'credentials', true);

    // The copy button puts the secret on the clipboard.
    await page.locator('button[data-copy="secret-dev"]').click();
    await page.locator('button[data-copy="secret-dev"][data-state="copied"]').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), original.dev);
    assert.equal(await token(clientIds.dev, original.dev), 200);

    await page.getByTestId('continue').click();
    await page.getByTestId('env-prod').waitFor();
    assert.equal(await page.locator('article.env').count(), 3);
    assert.match(await page.getByTestId('status-prod').textContent(), /Disabled/);
    assert.match(await page.getByTestId('status-dev').textContent(), /Enabled/);
    assert.ok(!(await page.content()).includes(original.dev), 'a secret is shown once only');
    await shoot(page, 'environments', false);

    // A form whose CSRF token was tampered with is refused and changes nothing.
    await page.evaluate(() => { document.querySelector('form.rotate input[name=csrf]').value = 'forged'; });
    await page.getByTestId('rotate-dev').click();
    assert.equal(await page.getByTestId('message-title').textContent(), 'This form has expired');
    assert.equal(await token(clientIds.dev, original.dev), 200);

    // Rotation with the grace period: old and new secret both work.
    await page.goto(`${cfg.base}/realms/${cfg.realm}/ensync/portal/environments`);
    await page.getByTestId('rotate-dev').click();
    await page.getByTestId('rotated').waitFor();
    const second = await secretOf(page, 'rotated-secret');
    assert.notEqual(second, original.dev);
    assert.match(await page.getByTestId('rotated-previous').textContent(), /keeps working until/);
    assert.equal(await token(clientIds.dev, second), 200, 'the new secret gets a token');
    assert.equal(await token(clientIds.dev, original.dev), 200, 'the old secret still works during the grace period');
    await page.locator('button[data-copy="rotated-secret"]').click();
    await page.locator('button[data-copy="rotated-secret"][data-state="copied"]').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), second);

    // Rotation with an immediate revoke: only the newest works.
    await page.getByTestId('revoke-dev').check();
    await page.getByTestId('rotate-dev').click();
    await page.getByTestId('rotated-previous').filter({ hasText: 'stopped working' }).waitFor();
    const third = await secretOf(page, 'rotated-secret');
    assert.equal(await token(clientIds.dev, third), 200, 'the newest secret gets a token');
    assert.equal(await token(clientIds.dev, second), 401, 'the revoked secret does not');
    assert.equal(await token(clientIds.dev, original.dev), 401, 'nor the first one');

    await page.getByRole('link', { name: 'History' }).click();
    const history = page.getByTestId('history');
    await history.waitFor();
    const rows = await history.locator('tbody tr').allTextContents();
    const rotations = rows.filter((r) => r.includes('ENSYNC_SECRET UPDATE'));
    assert.equal(rotations.length, 2, rows.join('\n'));
    assert.match(rotations[0], /revokePrevious: true/, 'newest first');
    assert.match(rotations[1], /revokePrevious: false/);
    assert.ok(rows.some((r) => r.includes('portal_session_start')), 'the session start is in the history');
    assert.ok(rows.some((r) => r.includes('ENSYNC_LINK ACTION')), 'the redemption is in the history');

    // Keys instead of the secret (stage): a pasted private key is refused and changes nothing; a pasted PEM public key
    // is listed by kid and algorithm, the secret stops working and the key gets tokens; removing it shows a new secret.
    await page.goto(`${cfg.base}/realms/${cfg.realm}/ensync/portal/environments`);
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await page.getByTestId('keys-input-stage').fill(publicKey.export({ type: 'spki', format: 'pem' }));
    await page.evaluate(() => {
      document.querySelector('[data-testid=register-keys-stage]').form.querySelector('input[name=csrf]').value = 'forged';
    });
    await page.getByTestId('register-keys-stage').click();
    assert.equal(await page.getByTestId('message-title').textContent(), 'This form has expired');
    await page.goto(`${cfg.base}/realms/${cfg.realm}/ensync/portal/environments`);
    assert.match(await page.getByTestId('auth-method-stage').textContent(), /client_secret/, 'a forged form changes nothing');
    await page.getByTestId('keys-input-stage').fill(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await page.getByTestId('register-keys-stage').click();
    assert.match(await page.getByTestId('keys-error-stage').textContent(), /private key/);
    assert.match(await page.getByTestId('auth-method-stage').textContent(), /client_secret/);
    assert.equal(await token(clientIds.stage, original.stage), 200, 'a refused paste changes nothing');
    await page.getByTestId('keys-input-stage').fill(publicKey.export({ type: 'spki', format: 'pem' }));
    await page.getByTestId('register-keys-stage').click();
    await page.getByTestId('keys-registered').waitFor();
    assert.match(await page.getByTestId('auth-method-stage').textContent(), /private_key_jwt/);
    const listed = await page.getByTestId('key-stage-0').textContent();
    assert.match(listed, /EC ES256 \(P-256\)/);
    const kid = (await page.getByTestId('key-stage-0').locator('code').textContent()).trim();
    assert.equal(await token(clientIds.stage, original.stage), 400, 'the secret stops working (invalid_client: no assertion)');
    assert.equal(await tokenWithKey(clientIds.stage, privateKey, kid), 200, 'the pasted key gets a token');
    await shoot(page, 'environments-keys', false);
    await page.getByTestId('remove-keys-stage').click();
    await page.getByTestId('rotated').waitFor();
    const stageSecret = await secretOf(page, 'rotated-secret');
    assert.match(await page.getByTestId('rotated-previous').textContent(), /keys have stopped working/);
    assert.match(await page.getByTestId('auth-method-stage').textContent(), /client_secret/);
    assert.equal(await token(clientIds.stage, stageSecret), 200, 'the new secret gets a token');
    assert.equal(await tokenWithKey(clientIds.stage, privateKey, kid), 401, 'the removed key does not');

    // Another tab opening the same link after it was redeemed.
    const tab = await context.newPage();
    const again = await tab.goto(cfg.onboardUrl);
    assert.equal(again.status(), 410);
    assert.match(await tab.getByTestId('message-title').textContent(), /already been used/);
    assert.deepEqual(dialogs, []);
    await context.close();
    log('onboarding, copy, rotation, history, second tab: ok');
  }

  // ---- The portal's events page lists the catalog, requests a topic, shows pending/approved, withdraws one
  {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(cfg.eventsUrl);
    await page.getByTestId('start').click();
    await page.getByTestId('credentials-dev').waitFor();
    const devClient = (await page.getByTestId('client-id-dev').textContent()).trim();
    const devSecret = await secretOf(page, 'secret-dev');
    for (const env of ['stage', 'prod']) await secretOf(page, `secret-${env}`);
    await page.getByTestId('continue').click();
    await page.getByRole('link', { name: 'Events' }).click();

    const catalog = await page.getByTestId('catalog').locator('tbody tr').allTextContents();
    assert.equal(catalog.length, 2, catalog.join('\n'));
    assert.match(catalog[0], /app\/order\/\*.*yes.*yes.*dev/s);
    assert.match(catalog[1], /app\/payment\/\*.*yes.*no.*integrator decides/s);
    assert.deepEqual(await page.getByTestId('request-environment').locator('option').allTextContents(), ['dev', 'stage'],
      'only the open environments');

    const request = async (topic, scope, env) => {
      await page.getByTestId('request-topic').fill(topic);
      await page.getByTestId(`request-${scope}`).check();
      await page.getByTestId('request-environment').selectOption(env);
      await page.getByTestId('request-submit').click();
    };
    await request('app/order/created', 'send', 'dev');
    await page.locator('[data-testid=outcome][data-status=approved]').waitFor();
    assert.match(await page.getByTestId('outcome').textContent(), /next access token/);
    const approvedRow = page.locator('[data-testid=grants-dev] li[data-topic="app/order/created"]');
    assert.equal(await approvedRow.getAttribute('data-status'), 'approved');
    assert.deepEqual(await sendClaim(devClient, devSecret), ['app/order/created'], 'in the next token');

    await request('app/payment/refunded', 'send', 'stage');
    await page.locator('[data-testid=outcome][data-status=pending]').waitFor();
    assert.match(await page.locator('[data-testid=grants-stage] li[data-topic="app/payment/refunded"] [data-testid=grant-status]').textContent(), /Pending/);

    // Outside the catalog: a clear message, the typed topic kept, nothing added.
    await request('app/user/created', 'send', 'dev');
    await page.locator('[data-testid=event-error][data-code=not_in_catalog]').waitFor();
    assert.equal(await page.getByTestId('request-topic').inputValue(), 'app/user/created');
    assert.equal(await page.locator('[data-testid^=grant-][data-topic]').count(), 2);

    await approvedRow.getByTestId('withdraw').click();
    await page.locator('[data-testid=outcome][data-kind=withdrawn]').waitFor();
    assert.equal(await approvedRow.getAttribute('data-status'), 'withdrawn');
    assert.equal(await approvedRow.getByTestId('withdraw').count(), 0, 'nothing left to withdraw');
    assert.deepEqual(await sendClaim(devClient, devSecret), [], 'gone from the next token');

    await page.getByTestId('promote-stage').click();
    await page.locator('[data-testid=outcome][data-kind=promotion][data-status=pending]').waitFor();
    assert.equal(await page.getByTestId('promotion-stage').getAttribute('data-state'), 'pending');

    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByTestId('catalog').waitFor();
    await page.setViewportSize(PHONE);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling on a phone');
    await shoot(page, 'events', false);
    assert.deepEqual(dialogs, []);
    await context.close();
    log('events page: ok');
  }

  // ---- markup in names and metadata stays text on every page
  {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    const noInjectedImage = async () => assert.equal(await page.locator('img[src="x"]').count(), 0);
    await page.goto(cfg.xssUrl);
    assert.equal(await page.getByTestId('invited-app').textContent(), XSS);
    assert.equal(await page.getByTestId('app-name').textContent(), XSS);
    await noInjectedImage();
    await page.getByTestId('start').click();
    await page.getByTestId('credentials-dev').waitFor();
    for (const env of ['dev', 'stage', 'prod']) await secretOf(page, `secret-${env}`);
    assert.equal(await page.getByTestId('app-name').textContent(), XSS);
    await noInjectedImage();
    await page.getByTestId('continue').click();
    await page.getByTestId('env-dev').waitFor();
    assert.equal(await page.getByTestId('app-name').textContent(), XSS);
    await noInjectedImage();
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByTestId('history').waitFor();
    assert.equal(await page.getByTestId('app-name').textContent(), XSS);
    await noInjectedImage();
    assert.deepEqual(dialogs, [], 'no script ran');
    await context.close();
    log('escaping: ok');
  }

  // ---- an allowed origin frames the portal, and it works there
  {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(cfg.allowedFrameUrl);
    const frame = page.frameLocator('#portal');
    await frame.getByTestId('start').click();
    await frame.getByTestId('credentials-dev').waitFor();
    for (const env of ['dev', 'stage', 'prod']) await secretOf(frame, `secret-${env}`);
    await frame.getByTestId('continue').click();
    await frame.getByTestId('env-prod').waitFor();
    assert.equal(await frame.locator('article.env').count(), 3, 'the session cookie works inside the frame');
    await context.close();
    log('allowed framing: ok');
  }

  // ---- another origin cannot frame it: the browser refuses
  {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const refused = page.waitForEvent('console', (m) => m.text().includes('frame-ancestors'));
    await page.goto(cfg.deniedFrameUrl);
    await refused;
    const portalFrame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(portalFrame, 'the iframe exists');
    assert.equal(await portalFrame.locator('[data-testid=start]').count(), 0, 'no portal content in a refused frame');
    await context.close();
    log('denied framing: ok');
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ secrets }) + '\n');
