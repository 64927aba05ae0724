// The admin watching the callback URL: the relay starts for the sandbox profile on a free port
// and shows the URL that goes into the console; a signed URL check and a card click sent to the
// relay itself appear live in the inspector as accepted (the built-in handler answers the click,
// no upstream needed); the click's detail shows the decrypted JSON, and a replay to the relay's
// own URL is answered and recorded; the signature lab, given the click with a tampered
// signature, says it is not valid and names the failing check; and the setup wizard's last
// step sees a card click come back through the running relay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, click, byTestId, eventually, screenshot, shown, choose, typeInto } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => {
  try {
    const stop = await byTestId(browser, 'relay-stop');
    if (await stop.isExisting()) await stop.click();
  } catch { /* the window may be gone already */ }
  await browser?.deleteSession();
});

/** The rows of the inspector as { id, kind, verdict, source }. */
async function rows() {
  const els = await browser.$$('[data-testid^="relay-record-"][data-kind]');
  const out = [];
  for (const el of els) {
    out.push({
      id: (await el.getAttribute('data-testid')).replace('relay-record-', ''),
      kind: await el.getAttribute('data-kind'),
      verdict: await el.getAttribute('data-verdict'),
      source: await el.getAttribute('data-source'),
    });
  }
  return out;
}

async function trigger(kind) {
  await choose(browser, 'relay-trigger-kind', kind);
  await click(browser, 'relay-trigger-target-relay');
  const before = await rows();
  await click(browser, 'relay-trigger-send');
  const status = await eventually(browser, async () => {
    const el = await byTestId(browser, 'relay-trigger-result');
    return (await el.isExisting()) && (await el.getAttribute('data-status'));
  }, `the ${kind} trigger got no answer`, 15000);
  assert.equal(status, '200', `${kind} answered ${status}`);
  // The new row arrives live (relay://record) and is the newest one.
  return eventually(browser, async () => {
    const now = await rows();
    const fresh = now.find((r) => r.kind === (kind === 'event' ? 'event_v2' : kind) && !before.some((b) => b.id === r.id));
    return fresh ?? false;
  }, `the ${kind} request did not appear in the inspector`, 10000);
}

test('starts the relay, records triggers live, replays one and explains a tampered signature', async () => {
  await click(browser, 'nav-relay');
  await choose(browser, 'relay-profile-select', 'Sandbox', 15000);

  await typeInto(browser, 'relay-port', '0');
  assert.equal(await (await byTestId(browser, 'relay-bind')).getValue(), '127.0.0.1');
  assert.equal(await (await byTestId(browser, 'relay-bind-warning')).isExisting(), false);
  await click(browser, 'relay-start');

  const url = await textOf(browser, 'relay-url', 15000);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/callback\/sandbox$/, url);
  assert.ok((await textOf(browser, 'relay-url-note')).includes('Request URL'));
  assert.equal(await (await byTestId(browser, 'relay-warning')).isExisting(), false, 'loopback has no warning');

  const challenge = await trigger('url_verification');
  assert.equal(challenge.verdict, 'accepted');
  assert.equal(await (await byTestId(browser, 'relay-trigger-challenge')).getAttribute('data-ok'), 'true');

  const card = await trigger('card_action');
  assert.equal(card.verdict, 'accepted');
  assert.match(await textOf(browser, 'relay-trigger-answer'), /card|toast/i, 'the built-in handler answers the click');
  const level = await (await byTestId(browser, `relay-record-${card.id}-latency`)).getAttribute('data-level');
  assert.equal(level, 'ok', 'a loopback click is answered well within 1 s');

  // Detail of the click: decrypted JSON, accepted, answered by the built-in handler.
  // The whole row opens the detail (it is focusable; Enter opens it too).
  // (A table row itself is not "interactable" to WebDriver; a click on its first cell is what a
  // user's click is.)
  const row = await byTestId(browser, `relay-record-${card.id}`);
  await row.waitForDisplayed({ timeout: 10000 });
  await (await row.$('td')).click();
  const verdict = await byTestId(browser, 'relay-detail-verdict');
  await verdict.waitForDisplayed({ timeout: 10000 });
  assert.equal(await verdict.getAttribute('data-verdict'), 'accepted');
  assert.match(await textOf(browser, 'relay-detail-plaintext'), /"action"/);
  await click(browser, 'relay-curl');
  assert.match(await textOf(browser, 'relay-curl-text'), /^(#.*\n)?curl /m);

  // Replay it (re-signed) to the relay's own URL: the relay has acted on this click already, so
  // the same click (same event id) is refused as replayed, and the replay is recorded.
  await click(browser, 'relay-replay-to-self');
  assert.equal(await (await byTestId(browser, 'relay-replay-url')).getValue(), url);
  await click(browser, 'relay-replay');
  const replayed = await eventually(browser, async () => {
    const el = await byTestId(browser, 'relay-replay-result');
    return (await el.isExisting()) && (await el.getAttribute('data-status'));
  }, 'the replay got no answer', 15000);
  assert.equal(replayed, '401', 'a click already acted on is refused as replayed');
  await eventually(browser, async () => (await rows()).some((r) => r.source === 'replay'),
    'the replay did not appear in the inspector', 10000);
  // For the README: the list with the open request under it.
  await browser.execute(() => {
    document.querySelector('[data-testid="relay-inspector"]').scrollIntoView({ block: 'start', behavior: 'instant' });
  });
  await browser.pause(300);
  await screenshot(browser, 'relay');
  await click(browser, 'relay-detail-close');

  // The lab: the click as sent passes; with its signature changed it fails and says why.
  await click(browser, 'relay-trigger-to-lab');
  await click(browser, 'relay-lab-analyze');
  await eventually(browser, async () => {
    const el = await byTestId(browser, 'relay-lab-report');
    return (await el.isExisting()) && (await el.getAttribute('data-valid')) === 'true';
  }, 'the untouched click should be valid', 10000);

  const headers = await byTestId(browser, 'relay-lab-headers');
  const original = await headers.getValue();
  const tampered = original.replace(/^(x-lark-signature:\s*)(\S)/im, (_, head, first) => head + (first === '0' ? '1' : '0'));
  assert.notEqual(tampered, original, `no signature header in:\n${original}`);
  await headers.setValue(tampered);
  await click(browser, 'relay-lab-analyze');
  const valid = await eventually(browser, async () => {
    const el = await byTestId(browser, 'relay-lab-report');
    const v = (await el.isExisting()) && (await el.getAttribute('data-valid'));
    return v === 'false' && v;
  }, 'the tampered click should not be valid', 10000);
  assert.equal(valid, 'false');
  const expected = await byTestId(browser, 'relay-lab-attempt-sha256-encrypt_key');
  assert.equal(await expected.getAttribute('data-matches'), 'false');
  // The verdict and the findings are worded from the catalogue, their values filled in.
  const summary = await byTestId(browser, 'relay-lab-summary');
  assert.ok(await summary.getAttribute('data-code'), 'the summary has a code');
  const explanation = `${await textOf(browser, 'relay-lab-summary')}\n${await textOf(browser, 'relay-lab-findings')}`;
  assert.match(explanation, /signature/i, explanation);
  assert.doesNotMatch(explanation, /\{\{|relay\.lab\./, `an unfilled sentence: ${explanation}`);

  // The wizard's last step watches a card click come back through the running relay; on the
  // sandbox the simulated platform sends it.
  await click(browser, 'nav-setup');
  await choose(browser, 'setup-profile-select', 'Sandbox', 15000);
  await click(browser, 'wizard-step-endToEnd');
  await click(browser, 'callback-wait-start', 15000);
  // The step may still be settling (its relay state reloads): start the wait again if the
  // waiting state is not there yet, until "Simulate a click" is offered.
  await eventually(browser, async () => {
    const simulate = await byTestId(browser, 'callback-simulate');
    if ((await simulate.isExisting()) && (await simulate.isClickable())) return true;
    const start = await byTestId(browser, 'callback-wait-start');
    if ((await start.isExisting()) && (await start.isClickable())) await start.click();
    return false;
  }, 'the wait for a card click did not start', 20000);
  await click(browser, 'callback-simulate');
  const clickVerdict = await eventually(browser, async () => {
    const el = await byTestId(browser, 'callback-received');
    return (await el.isExisting()) && (await el.getAttribute('data-verdict'));
  }, 'the simulated click did not come back through the relay', 15000);
  assert.equal(clickVerdict, 'accepted');
  assert.match(await textOf(browser, 'callback-received'), /Built-in handler/);
  await eventually(browser, async () => (await browser.$$('[data-testid^="chat-option-"]')).length > 0,
    "the bot's groups did not load", 15000);
  await (await byTestId(browser, 'callback-wait')).scrollIntoView();
  await screenshot(browser, 'wizard-callback');

  await click(browser, 'nav-relay');
  await click(browser, 'relay-stop', 15000);
  await shown(browser, 'relay-settings', 10000);
});

/** The sandbox simulator's base URL, asked of the app itself. */
async function sandboxBaseUrl() {
  const status = await browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('sandbox_status').then(done, (e) => done({ error: String(e) }));
  });
  assert.ok(status?.baseUrl, `no sandbox: ${JSON.stringify(status)}`);
  return status.baseUrl;
}

test('long-connection mode: connects with no listener and records a pushed card click', async () => {
  await click(browser, 'nav-relay');
  await click(browser, 'relay-lc-start');
  await eventually(browser, async () =>
    (await (await byTestId(browser, 'relay-lc-state')).getAttribute('data-state')) === 'connected',
  'the long connection did not connect', 20000);

  const before = (await rows()).length;
  const base = await sandboxBaseUrl();
  const res = await fetch(`${base}/_sim/ws/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'card_action', value: { action: 'acknowledge', incident_id: 'INC-LC-1' }, wait_ms: 8000 }),
    signal: AbortSignal.timeout(10000),
  });
  const pushed = await res.json();
  assert.equal(pushed.answered, true, JSON.stringify(pushed));

  await eventually(browser, async () => (await rows()).length > before,
    'the pushed click did not appear in the inspector', 10000);
  const newest = (await rows())[0];
  assert.equal(newest.verdict, 'accepted', JSON.stringify(newest));
  await eventually(browser, async () => Number(await textOf(browser, 'relay-lc-messages')) >= 1,
    'the message counter did not move', 5000);
  assert.notEqual(await textOf(browser, 'relay-lc-uptime'), '—');
  await screenshot(browser, 'relay-long-connection');
  await click(browser, 'relay-lc-stop');
});
