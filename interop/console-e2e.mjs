// End-to-end check of the admin console in Debian's Chromium (ConsoleBrowserTest runs it): opens
// /console, enters the admin token, creates a tenant and a key, shows an API error, adds an IP to
// the key's allowlist, revokes the key and looks up an audit record, as an operator would. Fails
// on any script error or Content-Security-Policy violation in the page. Prints, as its last line,
// {"tenant_id", "key_id", "key", "ip"} for the caller to check in the database.
//
// usage: LEARNCOIN_ADMIN_TOKEN=... node interop/console-e2e.mjs <base-url> <request-id> <screenshot.png>
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const [base, requestId, screenshot] = process.argv.slice(2);
const token = process.env.LEARNCOIN_ADMIN_TOKEN;
const IP = '203.0.113.7';
const TENANT_NAME = '<img src=x onerror=alert(1)> Console School';
const TIMEOUT = 15_000;

function check(condition, message) {
  if(!condition) {
    throw new Error(message);
  }
}

// Without the background-networking flags Chromium keeps calling home, which this machine's
// closed network answers with nothing but delays.
const profile = await mkdtemp(join(tmpdir(), 'console-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: {width: 1280, height: 900},
});
const problems = [];
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('console', m => {
    if(/content security policy/i.test(m.text())) {
      problems.push(`CSP violation: ${m.text()}`);
    }
  });
  page.on('dialog', d => d.accept()); // the revoke confirmation
  // Nothing the page loads may be missing (the favicon included).
  page.on('response', r => {
    if(r.status() === 404) {
      problems.push(`404 for ${r.url()}`);
    }
  });

  const response = await page.goto(`${base}/console`);
  check(response.status() === 200, `GET /console answered ${response.status()}`);
  check(response.headers()['content-security-policy']?.startsWith("default-src 'self'"),
    'the page has no strict Content-Security-Policy');

  // The token: pasted once, then the tenant list loads with it.
  await page.fill('#token', token);
  await page.click('#token-form button[type=submit]');
  await page.waitForFunction(() => document.body.classList.contains('signed-in'));
  check(await page.inputValue('#token') === '', 'the token stays in the input after use');
  check(await page.evaluate(() => sessionStorage.getItem('learncoin.adminToken')) === token,
    'the token is not in sessionStorage');
  check(!page.url().includes(token), 'the token is in the URL');

  // A tenant whose name is markup: it must show as text, never as an element.
  await page.fill('#tenant-name', TENANT_NAME);
  await page.selectOption('#tenant-plan', 'institution');
  await page.click('#tenant-form button[type=submit]');
  await page.locator('#keys').waitFor({state: 'visible'});
  const tenantId = await page.textContent('#keys-tenant-id');
  check(/^ten_[0-9A-Z]{26}$/.test(tenantId), `tenant id shown: ${tenantId}`);
  const tenantRow = page.locator(`#tenant-rows tr[data-id="${tenantId}"]`);
  await tenantRow.waitFor();
  check((await tenantRow.locator('td').nth(1).textContent()) === TENANT_NAME,
    'the tenant name is not shown as typed');
  check(await page.locator('img').count() === 0, 'the tenant name was rendered as HTML');

  // An API error is shown with its code and message.
  await page.fill('#key-allowlist', 'not-an-ip');
  await page.click('#key-form button[type=submit]');
  await page.locator('#error').waitFor({state: 'visible'});
  check(await page.textContent('#error-code') === 'invalid_field_format',
    `error code shown: ${await page.textContent('#error-code')}`);
  check((await page.textContent('#error-message')).includes('ip_allowlist[0]'),
    'the error message does not name the field');
  check(await page.inputValue('#key-allowlist') === 'not-an-ip', 'the rejected input was not kept to correct');
  check(await page.getAttribute('#key-allowlist', 'aria-invalid') === 'true', 'the rejected input is not marked');

  // The tenant's plan and this month's usage; the plan changed from the console.
  await page.locator('#tenant-usage', {hasText: 'Usage in'}).waitFor();
  check((await page.textContent('#tenant-usage')).includes('Plan institution'), 'usage line lacks the plan');
  await page.selectOption('#plan-select', 'industry');
  await page.click('#plan-form button[type=submit]');
  await page.locator('#tenant-usage', {hasText: 'Plan industry'}).waitFor();
  await page.locator(`#tenant-rows tr[data-id="${tenantId}"] td`, {hasText: 'industry'}).waitFor();

  // A key: its plaintext is shown once.
  await page.fill('#key-allowlist', '');
  await page.selectOption('#key-environment', 'test');
  await page.click('#key-form button[type=submit]');
  await page.locator('#new-key').waitFor({state: 'visible'});
  check(await page.locator('#error').isHidden(), 'the old error is still shown');
  const key = await page.textContent('#new-key-value');
  check(/^lrn_test_[0-9A-Za-z]{32}$/.test(key), `plaintext key shown: ${key}`);
  const keyRow = page.locator('#key-rows tr').first();
  await keyRow.waitFor();
  const keyId = await keyRow.getAttribute('data-id');
  check((await keyRow.textContent()).includes(key.slice(-4)), 'the key row lacks its last four');
  check(!(await page.locator('#key-rows').textContent()).includes(key), 'the key list shows the secret');
  check(await page.inputValue('#key-allowlist') === '', 'accepted input stays in the field');
  check(await page.getAttribute('#key-allowlist', 'aria-invalid') === null, 'accepted input still marked invalid');

  // An error after a key was shown hides the key notice, and keeps the rejected allowlist.
  await keyRow.getByRole('button', {name: 'Edit allowlist'}).click();
  await page.fill('#allowlist-entries', '999.1.1.1');
  await page.click('#allowlist-form button[type=submit]');
  await page.locator('#error').waitFor({state: 'visible'});
  check(await page.locator('#new-key').isHidden(), 'the shown-once key notice stays next to an error');
  check(await page.inputValue('#allowlist-entries') === '999.1.1.1', 'the rejected allowlist was cleared');

  // The source IP goes on the key's allowlist.
  await keyRow.getByRole('button', {name: 'Edit allowlist'}).click();
  await page.fill('#allowlist-entries', IP);
  await page.click('#allowlist-form button[type=submit]');
  await page.locator(`#key-rows tr[data-id="${keyId}"] td.allowlist`, {hasText: IP}).waitFor();

  // Revoked: the row says when, and its actions are gone.
  await page.locator(`#key-rows tr[data-id="${keyId}"]`).getByRole('button', {name: 'Revoke'}).click();
  await page.locator(`#key-rows tr.revoked[data-id="${keyId}"]`).waitFor();
  check(/^\d{4}-\d\d-\d\d /.test(await page.textContent(`#key-rows tr[data-id="${keyId}"] td.revoked-at`)),
    'the revoked row shows no revocation time');

  // The audit record of a request the caller made.
  await page.fill('#audit-request-id', requestId);
  await page.click('#audit-form button[type=submit]');
  await page.locator('#audit-record dd[data-field=request_id]', {hasText: requestId}).waitFor();
  const auditPath = await page.textContent('#audit-record dd[data-field=path]');

  // A narrow screen: the tables scroll inside their sections, the page does not widen.
  await page.setViewportSize({width: 420, height: 900});
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(pageWidth <= 420, `at 420 px the page is ${pageWidth} px wide`);
  await page.screenshot({path: screenshot, fullPage: true});

  // A refused token: the error is shown and the header no longer says a token is set.
  await page.fill('#token', 'not-a-token');
  await page.click('#token-form button[type=submit]');
  await page.locator('#error-code', {hasText: 'admin_token_invalid'}).waitFor();
  const tokenState = await page.textContent('#token-state');
  check(tokenState.startsWith('No token'), `after a refused token the header says: ${tokenState}`);
  check(await page.evaluate(() => sessionStorage.getItem('learncoin.adminToken')) === null,
    'the refused token is kept');

  check(problems.length === 0, problems.join('\n'));
  console.log(JSON.stringify({tenant_id: tenantId, key_id: keyId, key, ip: IP, audit_path: auditPath}));
} finally {
  await context.close();
  await rm(profile, {recursive: true, force: true});
}
