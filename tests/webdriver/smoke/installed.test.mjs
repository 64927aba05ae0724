// The installed package starts: run against /usr/bin/lark-companion (scripts/deb-smoke.sh), the
// window shows the first screen (the setup wizard, on a fresh data folder) and its sidebar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, shown } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

test('the installed app shows its first screen', async () => {
  assert.match(process.env.LARK_COMPANION_BIN, /^\/usr\/bin\//, 'not the installed binary');
  const title = await textOf(browser, 'screen-title', 30000);
  assert.ok(title.length > 0, 'no screen title');
  await shown(browser, 'nav-setup');
  await shown(browser, 'nav-relay');
  assert.match(await browser.getUrl(), /#\/setup/, 'a fresh install starts at the setup wizard');
});
