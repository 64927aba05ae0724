// Notices from the core, as a desktop shows them: with a stand-in notification service on the
// session bus (support/notification-daemon.py), the sandbox relay forwards an event to an
// upstream that is down; the core's watcher raises exactly one native notification for the
// episode and one entry in the Notifications list, and clears the entry once the upstream
// answers. Run with LARK_COMPANION_WATCH_MS (short watch intervals; see scripts/test.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, click, byTestId, eventually, shown, typeInto, screenshot, choose } from '../support/app.mjs';

let browser;
let daemon;
const dir = mkdtempSync(join(tmpdir(), 'lc-notify-'));
const log = join(dir, 'notifications.jsonl');

/** What the stand-in service was asked to show so far. */
function notifications() {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

before(async () => {
  daemon = spawn('/usr/bin/python3', [new URL('../support/notification-daemon.py', import.meta.url).pathname, log], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the stand-in notification service did not start')), 10000);
    daemon.stdout.on('data', (d) => {
      if (String(d).includes('ready')) { clearTimeout(timer); resolve(); }
      if (String(d).includes('name taken')) { clearTimeout(timer); reject(new Error('org.freedesktop.Notifications is taken')); }
    });
  });
  browser = await openApp();
});

after(async () => {
  try {
    const stop = await byTestId(browser, 'relay-stop');
    if (await stop.isExisting()) await stop.click();
  } catch { /* the window may be gone already */ }
  await browser?.deleteSession();
  daemon?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** A loopback port nobody listens on (taken and released). */
async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

test('a failing upstream is one desktop notification and one entry, cleared when it answers again', async () => {
  const upstreamPort = await freePort();
  await click(browser, 'nav-relay');
  await choose(browser, 'relay-profile-select', 'Sandbox', 15000);
  await typeInto(browser, 'relay-port', '0');
  await typeInto(browser, 'relay-upstream-url', `http://127.0.0.1:${upstreamPort}/hook`);
  await click(browser, 'relay-start');
  await shown(browser, 'relay-url', 15000);

  // An event to the relay itself: accepted, then its delivery to the upstream fails.
  await choose(browser, 'relay-trigger-kind', 'event');
  await click(browser, 'relay-trigger-target-relay');
  await click(browser, 'relay-trigger-send');
  await eventually(browser, async () => (await (await byTestId(browser, 'relay-trigger-result')).getAttribute('data-status')) === '200',
    'the event was not accepted', 15000);

  const failing = await eventually(browser, async () => {
    const found = notifications().filter((n) => n.summary.includes('The upstream is failing'));
    return found.length > 0 && found;
  }, 'no desktop notification for the failing upstream', 20000);
  assert.match(failing[0].summary, /^Sandbox · The upstream is failing$/);
  assert.match(failing[0].body, /Events wait in the outbox/);

  await click(browser, 'nav-notices');
  const entry = await eventually(browser, async () => {
    const el = await browser.$('[data-kind="relay_upstream_failing"]');
    return (await el.isExisting()) && el;
  }, 'no entry in the Notifications list', 10000);
  assert.equal(await entry.getAttribute('data-ongoing'), 'true');
  await shown(browser, 'notice-kind-quota_threshold');
  await screenshot(browser, 'notices');

  // Still failing a while later (the outbox retries): the same episode, no second notification.
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(notifications().filter((n) => n.summary.includes('The upstream is failing')).length, 1);

  // The upstream comes up: the next delivery succeeds, the entry is marked recovered.
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{}'); });
  });
  await new Promise((r) => upstream.listen(upstreamPort, '127.0.0.1', r));
  try {
    await eventually(browser, async () => {
      const el = await browser.$('[data-kind="relay_upstream_failing"]');
      return (await el.isExisting()) && (await el.getAttribute('data-ongoing')) === 'false';
    }, 'the entry was not marked recovered', 30000);
  } finally {
    await click(browser, 'nav-relay');
    await click(browser, 'relay-stop', 15000);
    await new Promise((r) => upstream.close(r));
  }
  assert.equal(notifications().filter((n) => n.summary.includes('The upstream is failing')).length, 1);
});
