// Memory benchmark (not a test; scripts/bench-memory.sh runs it, docs/benchmarks.md): the app in
// the tray after its window was open. With the Sandbox profile's relay running, the window is
// closed into the tray as its close button does it ("Keep running in the tray"), and a fresh
// image of the app takes the relay over; 15 s after that the
// proportional set size of the app and every process under it is summed and printed as
// `closed-window PSS: N kB`. Then the tray's Quit ends the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { openApp, textOf, click, shown, choose, typeInto } from '../support/app.mjs';

const SETTLE_MS = Number(process.env.SETTLE_SECS ?? 15) * 1000;
let browser;
before(async () => { browser = await openApp(); });
after(async () => {
  spawn(process.env.LARK_COMPANION_BIN, ['--quit'], { stdio: 'ignore', env: process.env });
  try { await browser?.deleteSession(); } catch { /* the window is gone with its session */ }
});

function processes() {
  const all = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let exe = '';
      try { exe = readlinkSync(`/proc/${entry}/exe`); } catch { /* not ours to read */ }
      all.push({ pid: Number(entry), ppid, exe });
    } catch { /* gone meanwhile */ }
  }
  return all;
}

/** PSS in kB of the app (this spec's binary) and every process under it. */
function appPss() {
  const all = processes();
  const apps = all.filter((p) => p.exe === process.env.LARK_COMPANION_BIN);
  assert.equal(apps.length, 1, `expected one app process, found ${apps.length}`);
  const tree = [apps[0].pid];
  for (let i = 0; i < tree.length; i++) {
    for (const p of all) if (p.ppid === tree[i]) tree.push(p.pid);
  }
  let kb = 0;
  const names = [];
  for (const pid of tree) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)[1]);
      names.push(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
    } catch { /* gone meanwhile */ }
  }
  return { kb, names };
}

function waitForLog(pattern, timeout) {
  const dir = path.join(process.env.LARK_COMPANION_DATA_DIR, 'logs');
  const deadline = Date.now() + timeout;
  return (async () => {
    for (;;) {
      const text = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');
      if (pattern.test(text)) return;
      if (Date.now() > deadline) assert.fail(`the app's log never said ${pattern}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
}

test('memory in the tray after the window was open', async () => {
  await click(browser, 'nav-relay');
  await choose(browser, 'relay-profile-select', 'Sandbox', 15000);
  await typeInto(browser, 'relay-port', '0');
  await click(browser, 'relay-start');
  await textOf(browser, 'relay-url', 15000);
  await browser.execute(() => { void window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' }); });
  await shown(browser, 'close-ask', 10000);
  await browser.execute(() => { setTimeout(() => document.querySelector('[data-testid="close-ask-confirm"]').click(), 0); })
    .catch(() => { /* the window closed first */ });
  await waitForLog(/the window is closed: the relay keeps running in the tray/, 10000);
  // A fresh image of the app takes the relay over (src-tauri/src/handover.rs).
  await waitForLog(/took over: the relay keeps running in the tray/, 20000);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const { kb, names } = appPss();
  console.log(`closed-window PSS: ${kb} kB (${names.join(', ')})`);
});
