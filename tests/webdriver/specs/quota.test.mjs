// The admin checks the quota: after one Doctor run against the simulated tenant the ledger has
// calls, so the Quota screen shows counted calls against the cap, the bot and chats endpoints,
// and takes a new cap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, click, byTestId, eventually, screenshot, shown, choose } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

const digits = (text) => Number(text.replace(/[^\d]/g, ''));

test('shows the month to date, the endpoints and takes a cap for the sandbox profile', async () => {
  // One Doctor run puts calls in the ledger.
  await click(browser, 'nav-doctor');
  await choose(browser, 'doctor-profile-select', 'Sandbox', 10000);
  await click(browser, 'doctor-run');
  await eventually(browser, async () => {
    const el = await byTestId(browser, 'doctor-summary');
    return (await el.isDisplayed()) && (await el.getText());
  }, 'the doctor did not finish', 30000);

  await click(browser, 'nav-quota');
  await choose(browser, 'quota-profile-select', 'Sandbox', 10000);
  await shown(browser, 'quota-gauge', 10000);

  const used = await eventually(browser, async () => {
    const n = digits(await textOf(browser, 'quota-used'));
    return n > 0 && n;
  }, 'the gauge shows no counted calls', 10000);
  assert.ok(used > 0, `used ${used}`);
  assert.match(await textOf(browser, 'quota-cap'), /10,000/);

  const table = await textOf(browser, 'quota-endpoints-table');
  assert.match(table, /bot\.v3\.info/, table);
  assert.match(table, /im\.v1\.chats\.list/, table);
  assert.equal((await browser.$$('[data-testid^="quota-ceiling-"]')).length, 4);

  // A cap of 5,000 for this tenant.
  const cap = await byTestId(browser, 'quota-cap-input');
  await cap.scrollIntoView();
  await cap.clearValue();
  await cap.setValue('5000');
  await click(browser, 'quota-save-settings');
  await shown(browser, 'quota-settings-saved', 10000);
  await eventually(browser, async () => /5,000/.test(await textOf(browser, 'quota-cap')),
    'the gauge did not take the new cap', 10000);

  // The screenshot for the README: the top of the screen, gauge and chart.
  await browser.execute(() => {
    document.querySelector('[data-testid="screen-title"]')?.scrollIntoView({ block: 'start' });
    for (const el of document.querySelectorAll('.app-main, main')) el.scrollTop = 0;
  });
  await browser.pause(300);
  await screenshot(browser, 'quota');
});
