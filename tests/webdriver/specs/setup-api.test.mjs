// Setup by API in the real window against a lark-sim tenant reached through a custom platform
// base URL: a new app created by scan (a denied scan first, then Try again), the integration's
// three URLs on the simulator's own address, Apply (the plan read back empty, new keys to copy),
// Publish under review until the simulated admin approves it, then the Doctor reading the
// settings from the platform. In English, and again in 简体中文.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, click, byTestId, eventually, screenshot, typeInto, choose } from '../support/app.mjs';
import { startSim } from '../support/sim.mjs';

let browser;
let sim;
before(async () => {
  sim = await startSim();
  // Quick polls: the scan's device code asks for one every second.
  await simPost('/_sim/config', { registration_interval_secs: 1 });
  browser = await openApp();
});
after(async () => {
  await browser?.deleteSession();
  sim?.stop();
});

/** The person's side and the simulated admin: lark-sim's control surface. */
async function simPost(path, body) {
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  assert.ok(res.ok, `POST ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const type = (id, value) => typeInto(browser, id, value);
const CJK = /[\u4e00-\u9fff]/;

async function shown(id, timeout = 15000) {
  const el = await byTestId(browser, id);
  await el.waitForDisplayed({ timeout });
  return el;
}

/** Waits until the element's attribute has the value and returns the element. */
async function attribute(id, name, value, timeout = 20000) {
  const el = await byTestId(browser, id);
  await eventually(browser, async () => (await el.isExisting()) && (await el.getAttribute(name)) === value,
    `${id} never had ${name}=${value}`, timeout);
  return el;
}

async function inLanguage(lang, id) {
  const text = await textOf(browser, id);
  if (lang === 'zh-CN') assert.match(text, CJK, `${id} is not in Chinese`);
  else assert.doesNotMatch(text, CJK, `${id} is not in English`);
}

async function setLanguage(value) {
  await click(browser, 'nav-settings');
  await choose(browser, 'language-select', value);
}

/** Scrolls the element into view and saves the window (when LARK_SCREENSHOT_DIR is set). */
async function shot(name, id) {
  await (await byTestId(browser, id)).scrollIntoView({ block: 'start' });
  await browser.pause(300);
  await screenshot(browser, name);
}

/** Step 1 by scan: returns the new app's id. */
async function createByScan(lang, name, { denyFirst, shots }) {
  await click(browser, 'nav-setup');
  await click(browser, 'setup-new-profile');
  await shown('step-platform');
  await inLanguage(lang, 'step-platform');
  await click(browser, 'start-way-scan');
  await click(browser, 'platform-custom');
  await type('platform-base-url', sim.baseUrl);
  await type('profile-name', name);
  await type('scan-app-name', `Flashduty Alerts ${name}`);
  await click(browser, 'scan-start-button');
  await shown('scan-qr');
  let link = await textOf(browser, 'scan-link');
  assert.match(link, /\/app\/scan\?user_code=/, link);
  assert.match(await textOf(browser, 'scan-countdown'), /\d+:\d\d/);

  if (denyFirst) {
    await simPost('/_sim/registration/deny', { url: link });
    await attribute('scan-session', 'data-phase', 'denied');
    await click(browser, 'scan-retry');
    const first = link;
    link = await eventually(browser, async () => {
      const now = await textOf(browser, 'scan-link');
      return now !== first && now;
    }, 'Try again did not give a new link');
    await attribute('scan-session', 'data-phase', 'waiting');
  }
  if (shots) await shot('wizard-scan', 'start-ways');

  const confirmed = await simPost('/_sim/registration/confirm', { url: link });
  assert.match(confirmed.app_id, /^cli_[0-9a-f]{16}$/);
  await shown('scan-confirmed', 20000);
  assert.equal(await textOf(browser, 'scan-app-id'), confirmed.app_id);
  await click(browser, 'scan-copy-app-secret');
  await shown('scan-copy-app-secret-note');
  await click(browser, 'scan-continue');
  await shown('step-integration');
  return confirmed.app_id;
}

async function applyAndPublish(lang, appId, { shots }) {
  // The integration form: the app had no Encrypt Key, so Apply makes one (copied from here after).
  await inLanguage(lang, 'step-integration');
  await shown('integration-missing-encrypt-key');
  await type('url-web-config', `${sim.baseUrl}/fd/web`);
  await type('url-redirect', `${sim.baseUrl}/fd/redirect`);
  await type('url-card-request', `${sim.baseUrl}/fd/card`);
  await click(browser, 'urls-save');
  await shown('urls-saved');

  await click(browser, 'wizard-next');
  await shown('step-apply');
  await inLanguage(lang, 'step-apply');
  await shown('plan', 30000);
  assert.equal(await (await byTestId(browser, 'plan-item-webApp')).getAttribute('data-action'), 'add');
  assert.equal(await (await byTestId(browser, 'plan-item-callbackUrl')).getAttribute('data-action'), 'change');
  if (shots) await shot('wizard-apply-plan', 'step-apply');
  await click(browser, 'apply-run');
  await shown('plan-empty', 30000);
  await shown('apply-generated-keys');
  await shown('apply-needs-publish');
  assert.equal(await (await byTestId(browser, 'wizard-step-apply')).getAttribute('data-status'), 'pass');

  // The new keys are in the keychain now: the integration form copies them.
  await click(browser, 'apply-goto-integration');
  await shown('integration-copy-encrypt-key');
  await shown('integration-copy-verification-token');

  // Publish: the tenant reviews versions; the simulated admin approves.
  await simPost('/_sim/config', { publish_review: true });
  try {
    await click(browser, 'wizard-step-publish');
    await shown('publish-confirm');
    await inLanguage(lang, 'publish-confirm');
    const changelog = await byTestId(browser, 'publish-changelog');
    await eventually(browser, async () => (await changelog.getValue()).trim().length > 0, 'no changelog pre-filled', 20000);
    await click(browser, 'publish-run');
    await attribute('publish-state', 'data-state', 'underReview', 30000);
    if (shots) await shot('wizard-publish-review', 'publish-api');
    await simPost('/_sim/versions/approve', { app_id: appId });
    await attribute('publish-state', 'data-state', 'online', 30000);
  } finally {
    await simPost('/_sim/config', { publish_review: false });
  }
}

/** The Doctor reads the web app, redirect URL, callback URL and version from the platform. */
async function doctor(lang, name) {
  await click(browser, 'nav-doctor');
  await choose(browser, 'doctor-profile-select', name, 10000);
  await click(browser, 'doctor-run');
  await shown('doctor-summary', 60000);
  const expect = { webApp: 'webAppMatches', redirectUrl: 'redirectUrlListed', callbackUrl: 'callbackUrlMatches', published: 'publishedOnline' };
  for (const [id, finding] of Object.entries(expect)) {
    const el = await byTestId(browser, `doctor-outcome-${id}`);
    assert.equal(await el.getAttribute('data-status'), 'pass', `${id}: ${await el.getText()}`);
    assert.equal(await el.getAttribute('data-finding'), finding);
    assert.equal(await (await byTestId(browser, `doctor-apply-${id}`)).isExisting(), false);
  }
  await inLanguage(lang, 'doctor-reason-webApp');
  assert.match(await textOf(browser, 'doctor-reason-webApp'), /\/fd\/web/);
}

test('creates an app by scan (after a denied one), applies, publishes through review, and the doctor agrees', async () => {
  const appId = await createByScan('en', 'Scan-en', { denyFirst: true, shots: true });
  await applyAndPublish('en', appId, { shots: true });
  await doctor('en', 'Scan-en');
});

test('does the same in 简体中文', async () => {
  await setLanguage('zh-CN');
  try {
    const appId = await createByScan('zh-CN', 'Scan-zh', { denyFirst: true, shots: false });
    await applyAndPublish('zh-CN', appId, { shots: false });
    await doctor('zh-CN', 'Scan-zh');
  } finally {
    await setLanguage('en');
  }
});
