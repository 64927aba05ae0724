// A keychain that answers slowly, as gnome-keyring does on a busy disk (it syncs every write to
// disk twice before answering). run.sh starts this spec with the keyring daemon under strace,
// every fsync delayed by LARK_KEYRING_FSYNC_DELAY_MS (2.5 s: a write takes over 5 s, past the
// 2 s the keyring crate allowed a D-Bus call). The window must stay usable while the keychain
// works, and a secret saved under it must be reported as stored, not "no keychain".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, click, byTestId, eventually, typeInto } from '../support/app.mjs';
import { startSim } from '../support/sim.mjs';

let browser;
let sim;
before(async () => {
  assert.ok(Number(process.env.LARK_KEYRING_FSYNC_DELAY_MS) >= 2000,
    'run this spec with a slowed keychain daemon (LARK_KEYRING_FSYNC_DELAY_MS)');
  sim = await startSim();
  browser = await openApp();
});
after(async () => {
  await browser?.deleteSession();
  sim?.stop();
});

const type = (id, value) => typeInto(browser, id, value);

async function screenTitle(pattern, message) {
  return eventually(browser, async () => {
    const t = await textOf(browser, 'screen-title');
    return pattern.test(t) && t;
  }, message, 5000);
}

test('the window answers while a slow keychain saves, and the secret is stored', async () => {
  // Start-up writes the sandbox's secrets into the slow keychain; the shell is usable already.
  await click(browser, 'nav-doctor', 5000);
  await screenTitle(/doctor/i, 'the Doctor did not open while the keychain was busy');
  await click(browser, 'nav-settings', 5000);
  await screenTitle(/settings/i, 'Settings did not open while the keychain was busy');

  const app = sim.tenant.app;
  await click(browser, 'nav-setup');
  await click(browser, 'setup-new-profile', 60000);
  await click(browser, 'platform-custom');
  await type('platform-base-url', sim.baseUrl);
  await type('profile-name', 'Slow keychain');
  await click(browser, 'wizard-next');
  await (await byTestId(browser, 'step-credentials')).waitForDisplayed({ timeout: 10000 });
  await type('cred-app-id', app.app_id);
  await type('cred-app-secret', app.app_secret);
  await type('cred-verification-token', app.verification_token);
  await type('cred-encrypt-key', app.encrypt_key);
  await click(browser, 'credentials-save');

  // While three slow writes (and their read-backs) go on, the other screens still open and load.
  await click(browser, 'nav-quota', 5000);
  await screenTitle(/quota/i, 'the window froze while the keychain was writing');

  // The save finishes behind the screens: Settings lists the new profile with its three
  // secrets stored, and no keychain error was raised for a keychain that was only slow.
  const kinds = ['appSecret', 'verificationToken', 'encryptKey'];
  await eventually(browser, async () => {
    // Settings reads the list when it opens: open it again until the save has finished.
    await click(browser, 'nav-quota', 5000);
    await click(browser, 'nav-settings', 5000);
    await (await byTestId(browser, 'profiles-panel')).waitForDisplayed({ timeout: 5000 });
    await browser.pause(500);
    for (const kind of kinds) {
      const el = await byTestId(browser, `profile-secret-Slow keychain-${kind}`);
      if (!(await el.isExisting()) || (await el.getAttribute('data-present')) !== 'true') return false;
    }
    return true;
  }, 'the new profile was not listed with its three secrets stored', 90000);
  const banner = await byTestId(browser, 'error-banner');
  assert.ok(!(await banner.isExisting()) || !(await banner.isDisplayed()),
    'no keychain error was shown for a keychain that was only slow');
});
