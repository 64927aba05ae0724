// The first thing a user does: move between screens and switch the language. The language must
// change what is on screen at once, and be remembered for the next start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, click, byTestId, eventually, screenshot, choose } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

test('navigates between screens and switches to 简体中文', async () => {
  await click(browser, 'nav-doctor');
  const doctorEn = await eventually(browser, async () => {
    const t = await textOf(browser, 'screen-title');
    return /doctor/i.test(t) && t;
  }, 'Doctor screen did not open');

  await click(browser, 'nav-settings');
  const settingsEn = await eventually(browser, async () => {
    const t = await textOf(browser, 'screen-title');
    return /settings/i.test(t) && t;
  }, 'Settings screen did not open');
  const navEn = await textOf(browser, 'nav-setup');

  await choose(browser, 'language-select', 'zh-CN', 10000);

  const settingsZh = await eventually(browser, async () => {
    const t = await textOf(browser, 'screen-title');
    return t !== settingsEn && t;
  }, 'Settings title did not change after switching the language');
  assert.match(settingsZh, /[\u4e00-\u9fff]/, `expected Chinese text, got "${settingsZh}"`);
  const navZh = await textOf(browser, 'nav-setup');
  assert.notEqual(navZh, navEn, 'the navigation did not change language');
  assert.match(navZh, /[\u4e00-\u9fff]/);
  await screenshot(browser, 'settings-zh');

  await click(browser, 'nav-doctor');
  const doctorZh = await eventually(browser, async () => {
    const t = await textOf(browser, 'screen-title');
    return t !== settingsZh && t;
  }, 'Doctor screen did not open in Chinese');
  assert.notEqual(doctorZh, doctorEn);
  assert.match(doctorZh, /[\u4e00-\u9fff]/);

  // Put English back so later specs start from a known language.
  await click(browser, 'nav-settings');
  await choose(browser, 'language-select', 'en');
  await eventually(browser, async () => (await textOf(browser, 'screen-title')) === settingsEn,
    'could not switch back to English');
});
