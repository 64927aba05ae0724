// The relay lives on in the tray: with the Sandbox profile's relay running, closing the window
// asks once (keep running in the tray, or quit), and after "Keep running in the tray" the
// window (and its webview) is gone, the process has become a fresh image of the app without a
// webview (same process id: src-tauri/src/handover.rs), and the relay still answers a signed
// URL check sent by the sandbox's simulated platform at the same URL; a second launch opens the
// window again, and a second launch with --quit (the tray's Quit) stops the relay and ends the
// app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { openApp, textOf, click, byTestId, eventually, shown, choose, typeInto } from '../support/app.mjs';

let browser;
let appGone = false;
before(async () => { browser = await openApp(); });
after(async () => {
  if (!appGone) {
    // Never leave a relay running for the next spec.
    spawn(process.env.LARK_COMPANION_BIN, ['--quit'], { stdio: 'ignore', env: process.env });
  }
  try { await browser?.deleteSession(); } catch { /* the app has quit: the session is gone */ }
});

/** Calls a command of the app (the page's own IPC). */
async function invoke(cmd, args = {}) {
  const result = await browser.executeAsync((cmd, args, done) => {
    window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ v }), (e) => done({ error: e }));
  }, cmd, args);
  assert.ok(!('error' in result), `${cmd}: ${JSON.stringify(result.error)}`);
  return result.v;
}

/** Has the sandbox's simulated platform send a signed URL check to `url`; returns its answer. */
async function urlCheck(base, url) {
  const res = await fetch(`${base}/_sim/callbacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, kind: 'url_verification' }),
    signal: AbortSignal.timeout(10000),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** Waits until the app's log (in the data folder run.sh made) has a line matching `pattern`. */
async function waitForLog(pattern, timeout) {
  const dir = path.join(process.env.LARK_COMPANION_DATA_DIR, 'logs');
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');
    if (pattern.test(text)) return;
    if (Date.now() > deadline) assert.fail(`the app's log never said ${pattern}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The app's process ids (this spec's binary; WebKit's processes run other programs). */
function appPids() {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) === process.env.LARK_COMPANION_BIN) pids.push(Number(entry));
    } catch { /* not ours to read, or gone */ }
  }
  return pids;
}

/** The names of the processes under `pid`, zombies (ended, not yet reaped) included. */
function childrenOf(pid) {
  const names = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (Number(ppid) === pid) names.push(readFileSync(`/proc/${entry}/comm`, 'utf8').trim());
    } catch { /* gone meanwhile */ }
  }
  return names;
}

async function answers(url) {
  try {
    await fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

test('closing the window keeps the relay answering in the tray, and Quit stops it', async () => {
  await click(browser, 'nav-relay');
  await choose(browser, 'relay-profile-select', 'Sandbox', 15000);
  await typeInto(browser, 'relay-port', '0');
  await click(browser, 'relay-start');
  const url = await textOf(browser, 'relay-url', 15000);
  const base = (await invoke('sandbox_status')).baseUrl;
  assert.ok(base, 'no sandbox');
  const first = await urlCheck(base, url);
  assert.equal(first.status, 200, JSON.stringify(first));
  const [pid] = appPids();
  assert.ok(pid, 'the app process is not found');
  assert.ok(childrenOf(pid).some((n) => n.startsWith('WebKit')), `no WebKit process under the app: ${childrenOf(pid)}`);

  // Close the window as its close button does (WebDriver's own Close Window would end the
  // session with it): the first time, the window asks.
  await browser.execute(() => { void window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' }); });
  await shown(browser, 'close-ask', 10000);
  assert.match(await textOf(browser, 'close-ask'), /Sandbox/);
  // Clicked from the page (a WebDriver click waits for the window to draw again, which a closed
  // window never does); the window may be gone before the script's answer comes back.
  await browser.execute(() => { setTimeout(() => document.querySelector('[data-testid="close-ask-confirm"]').click(), 0); })
    .catch(() => { /* the window closed first */ });
  // The window and its webview are destroyed (the WebDriver session goes with them), and a
  // fresh image of the app takes the relay over: the app's log says so.
  await waitForLog(/the window is closed: the relay keeps running in the tray/, 10000);
  await waitForLog(/took over: the relay keeps running in the tray/, 20000);
  assert.deepEqual(appPids(), [pid], 'the same process goes on (exec), no second one');
  assert.equal(readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), path.basename(process.env.LARK_COMPANION_BIN).slice(0, 15),
    'the process keeps its name in ps and system monitors');
  // WebKit's processes end with the old image and are reaped, not left as zombies.
  const reaped = Date.now() + 10000;
  while (childrenOf(pid).length && Date.now() < reaped) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(childrenOf(pid), [], 'processes of the old window are left');

  // The window is gone; the relay still answers a signed URL check, challenge included, at
  // the same URL (the sandbox's simulated platform is back at its address too).
  const after = await urlCheck(base, url);
  assert.equal(after.status, 200, JSON.stringify(after));
  const challenge = after.sent.plaintext.challenge;
  assert.ok(challenge, JSON.stringify(after.sent));
  assert.equal(after.body.challenge, challenge, JSON.stringify(after.body));

  // Opening it again (a second launch, like the tray's "Open Lark Companion") builds a new one.
  const opener = spawn(process.env.LARK_COMPANION_BIN, [], { stdio: 'ignore', env: process.env });
  assert.equal(await new Promise((resolve) => opener.on('exit', resolve)), 0);
  await waitForLog(/the window is opened again/, 10000);
  assert.equal((await urlCheck(base, url)).status, 200, 'the relay answers with the window back');

  // Quit (the tray's Quit, from a second launch): the relay stops and the app ends.
  const quitter = spawn(process.env.LARK_COMPANION_BIN, ['--quit'], { stdio: 'ignore', env: process.env });
  const code = await new Promise((resolve) => quitter.on('exit', resolve));
  assert.equal(code, 0, 'the second launch hands over and exits');
  const deadline = Date.now() + 15000;
  while ((await answers(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await answers(url), false, 'the relay still answers after Quit');
  appGone = true;
});
