// Someone designing alert cards: every built-in template in both card schemas, drawn by the
// preview in the real window (header text and colour from the computed style, buttons, fields
// two by two), in English and in 简体中文 (the app's own words change; the card language follows
// the app's until the admin picks English for the profile, and then the cards are the same); a click
// on a card button shows the callback; then the card goes to a sandbox group and a person, the
// group's message ID shows, the person's failure comes with its fix, and the sent card is updated
// to acknowledged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, textOf, click, byTestId, eventually, screenshot, shown, choose } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

const TITLE = 'Disk almost full on db-01';
// The header colours as the preview draws them in light mode (ui/src/cards/palette.ts): the
// template's -100 tone of the colour table.
const HEADER_HEX = { red: '#fee3e2', yellow: '#faedc2', green: '#d0f5ce' };
// Clicked in this order so the digest sees the example alert still firing (critical: red).
const TEMPLATES = [
  { kind: 'triggered', colour: 'red', buttons: ['Acknowledge', 'Resolve', 'Open incident'], v1Title: `[Critical] ${TITLE}`, v1Fields: 5 },
  { kind: 'digest', colour: 'red', buttons: [], title: /^1 open alert/, v1Fields: 4 },
  { kind: 'acknowledged', colour: 'yellow', buttons: ['Resolve', 'Open incident'], v1Title: `[Acknowledged] ${TITLE}`, v1Fields: 5 },
  { kind: 'resolved', colour: 'green', buttons: ['Open incident'], v1Title: `[Resolved] ${TITLE}`, v1Fields: 5 },
];

async function attr(id, name) {
  return (await byTestId(browser, id)).getAttribute(name);
}

async function texts(selector) {
  const els = await browser.$$(selector);
  const out = [];
  for (const el of els) out.push((await el.getText()).trim());
  return out;
}

/** Picks a template and a schema and waits until the preview shows that card. */
async function show(kind, schema, colour) {
  await click(browser, `template-${kind}`);
  await click(browser, `schema-${schema}`);
  await eventually(browser, async () => {
    const preview = await byTestId(browser, 'card-preview');
    if (!(await preview.isExisting())) return false;
    return (await preview.getAttribute('data-schema')) === `${schema}.0`
      && (await attr('card-header', 'data-template')) === colour
      && (await attr(`template-${kind}`, 'aria-pressed')) === 'true';
  }, `the ${kind} ${schema}.0 card did not show`, 15000);
  // The render is debounced; let the last one land before reading the card.
  await eventually(browser, async () => !(await (await byTestId(browser, 'editor-busy')).isExisting()),
    'the card is still rendering', 10000);
}

/** The card drawn for each template in both schemas: header text and colour, buttons, fields. */
async function checkEveryTemplate(language) {
  for (const t of TEMPLATES) {
    for (const schema of [2, 1]) {
      await show(t.kind, schema, t.colour);
      const what = `${t.kind} ${schema}.0 (${language})`;
      const title = await textOf(browser, 'card-header-title');
      if (t.title) assert.match(title, t.title, what);
      else assert.equal(title, schema === 2 ? TITLE : t.v1Title, what);
      const header = await byTestId(browser, 'card-header');
      const colour = await header.getCSSProperty('background-color');
      assert.equal(colour.parsed.hex, HEADER_HEX[t.colour], `${what}: header colour ${colour.value}`);
      assert.deepEqual(await texts('[data-testid="card-preview"] [data-testid="card-button"]'), t.buttons, `${what}: buttons`);
      const fields = await browser.$$('[data-testid="card-preview"] [data-testid="card-field"]');
      assert.equal(fields.length, schema === 2 ? 0 : t.v1Fields, `${what}: fields`);
      if (schema === 1) {
        // Short fields sit two by two.
        const [a, b] = [await fields[0].getLocation(), await fields[1].getLocation()];
        assert.equal(Math.round(a.y), Math.round(b.y), `${what}: the first two fields share a row`);
        assert.ok(b.x > a.x + 50, `${what}: the second field is in the right-hand column`);
      } else if (t.kind !== 'digest') {
        const markdown = await texts('[data-testid="card-preview"] [data-testid="card-markdown"]');
        assert.ok(markdown.some((m) => m.includes('Severity: Critical')), `${what}: markdown ${markdown}`);
      }
      assert.equal(await attr('editor-summary', 'data-errors'), '0', `${what}: the validator finds no error`);
    }
  }
}

/** Scrolls the element to the top of the window (for a screenshot) and lets the scroll settle. */
async function scrollToTop(id) {
  const el = await byTestId(browser, id);
  await browser.execute((node) => node.scrollIntoView({ block: 'start' }), el);
  // Two animation frames and a moment, so the window has painted what the screenshot shows.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await browser.pause(500);
}

async function setLanguage(value) {
  await click(browser, 'nav-settings');
  await choose(browser, 'language-select', value, 10000);
  await eventually(browser, async () => (await browser.execute(() => document.documentElement.lang)) === value,
    `the language did not switch to ${value}`);
}

test('draws every built-in template in both schemas, and a button click shows the callback', async () => {
  await click(browser, 'nav-cards');
  await shown(browser, 'card-header-title', 20000);
  const galleryEn = await textOf(browser, 'template-triggered');
  assert.match(galleryEn, /Triggered/);
  await checkEveryTemplate('English');

  // Screenshots of three templates, each in another look.
  await show('triggered', 2, 'red');
  await click(browser, 'preview-theme-light');
  await scrollToTop('preview-panel');
  const [acknowledge] = await browser.$$('[data-testid="card-preview"] [data-testid="card-button"]');
  await acknowledge.click();
  const callback = JSON.parse(await textOf(browser, 'card-callback-json'));
  assert.equal(callback.header.event_type, 'card.action.trigger');
  assert.deepEqual(callback.event.action.value, { action: 'acknowledge', incident_id: 'inc_7f3a9c' });
  await screenshot(browser, 'cards-triggered');

  await show('acknowledged', 1, 'yellow');
  await click(browser, 'preview-width-mobile');
  assert.equal(await attr('card-preview', 'data-width'), 'mobile');
  const width = (await (await byTestId(browser, 'card-preview')).getSize()).width;
  assert.ok(Math.abs(width - 375) <= 2, `mobile width is 375 px, got ${width}`);
  const [resolve] = await browser.$$('[data-testid="card-preview"] [data-testid="card-button"]');
  await resolve.click();
  const resolveCallback = JSON.parse(await textOf(browser, 'card-callback-json'));
  assert.deepEqual(resolveCallback.event.action.value, { action: 'resolve', incident_id: 'inc_7f3a9c' });
  await scrollToTop('preview-panel');
  await screenshot(browser, 'cards-acknowledged');

  await show('resolved', 2, 'green');
  await click(browser, 'preview-width-desktop');
  await click(browser, 'preview-theme-dark');
  assert.equal(await attr('card-preview', 'data-theme'), 'dark');
  const dark = await (await byTestId(browser, 'card-header')).getCSSProperty('background-color');
  assert.equal(dark.parsed.hex, '#173b12', 'the dark header uses the dark green-100');
  const [open] = await browser.$$('[data-testid="card-preview"] [data-testid="card-button"]');
  await open.click();
  assert.match(await textOf(browser, 'card-callback-url'), /https:\/\/console\.flashcat\.cloud\/incident\/detail\/inc_7f3a9c/);
  await scrollToTop('preview-panel');
  await screenshot(browser, 'cards-resolved');
  await click(browser, 'preview-theme-light');
});

test('in 简体中文 the screen speaks Chinese and draws the same cards', async () => {
  await setLanguage('zh-CN');
  await click(browser, 'nav-cards');
  await shown(browser, 'card-header-title', 20000);
  const gallery = await textOf(browser, 'template-triggered');
  assert.match(gallery, /[\u4e00-\u9fff]/, `the gallery is in Chinese: ${gallery}`);
  const sendLabel = await textOf(browser, 'card-send');
  assert.match(sendLabel, /[\u4e00-\u9fff]/, `the send button is in Chinese: ${sendLabel}`);
  // With no card language set for the profile, cards follow the app's language.
  assert.equal(await attr('card-language-zh-CN', 'data-checked'), 'true');
  try {
    // English cards, remembered for the profile: the same cards as in the English run.
    await click(browser, 'card-language-en');
    await eventually(browser, async () => (await attr('card-language-en', 'data-checked')) === 'true',
      'the card language did not switch to English');
    await checkEveryTemplate('简体中文');
  } finally {
    await setLanguage('en');
  }
});

test('sends the card to a sandbox group and a person, then updates it to acknowledged', async () => {
  await click(browser, 'nav-cards');
  await show('triggered', 2, 'red');
  await choose(browser, 'send-profile', 'Sandbox', 10000);
  await click(browser, 'send-load-chats');
  const chat = await eventually(browser, async () => {
    const boxes = await browser.$$('[data-testid^="send-chat-oc_"]');
    return boxes.length > 0 && boxes[0];
  }, 'the sandbox groups did not load', 20000);
  const chatId = (await chat.getAttribute('data-testid')).replace('send-chat-', '');
  await chat.click();
  await choose(browser, 'send-person-kind', 'email');
  await (await byTestId(browser, 'send-person-id')).setValue('carol@example.com');
  await click(browser, 'send-person-add');
  await click(browser, 'card-send');

  const messageId = await eventually(browser, async () => {
    const el = await byTestId(browser, 'send-message-id-0');
    return (await el.isExisting()) && (await el.getText()).trim();
  }, 'no message ID was shown', 20000);
  assert.match(messageId, /^om_[0-9a-f]+$/, messageId);
  assert.equal(await attr('send-result-0', 'data-target'), chatId);
  assert.equal(await attr('send-result-1', 'data-status'), 'failed');
  assert.equal(await attr('send-failure-1', 'data-kind'), 'receiver_unavailable', 'Carol is outside the availability range');
  assert.match(await textOf(browser, 'send-failure-1-fix'), /Availability/);

  await click(browser, 'send-update-ack-0');
  const status = await textOf(browser, 'send-update-status-0', 20000);
  assert.match(status, /Acknowledged/);
  await eventually(browser, async () => (await attr('card-header', 'data-template')) === 'yellow',
    'the editor did not show the acknowledged card');
  await scrollToTop('send-targets');
  await screenshot(browser, 'cards-send');
});
