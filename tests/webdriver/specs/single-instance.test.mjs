// A second launch must not start a second app on the same data (a second sandbox would re-point
// the shared Sandbox profile, a second relay would take the port): it hands over to the first
// window and exits, and the first window carries on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openApp, textOf, click, eventually } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

test('a second launch exits and leaves the first window running', async () => {
  await eventually(browser, async () => (await textOf(browser, 'screen-title')).length > 0,
    'the first window did not show a screen');
  const second = spawn(process.env.LARK_COMPANION_BIN, [], { stdio: 'ignore', env: process.env });
  const code = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      second.kill('SIGKILL');
      reject(new Error('the second launch was still running after 20 s: two instances'));
    }, 20000);
    second.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  assert.equal(code, 0, 'the second launch should hand over and exit cleanly');
  // The first window still answers.
  await click(browser, 'nav-settings');
  await eventually(browser, async () => /settings/i.test(await textOf(browser, 'screen-title')),
    'the first window stopped answering after the second launch');
});
