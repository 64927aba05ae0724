// The kitchen-sink card (ui/src/cards/kitchen-sink.card.json: every JSON 2.0 component and
// markdown feature) pasted into the card editor of the real window: the validator finds no error,
// and the preview draws it in light and in dark with no component left undrawn and no raw markup;
// with LARK_SCREENSHOT_DIR set the preview is saved as kitchen-sink-light.png and
// kitchen-sink-dark.png for the README.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp, click, byTestId, eventually, shown, screenshotOf } from '../support/app.mjs';

const CARD = readFileSync(new URL('../../../ui/src/cards/kitchen-sink.card.json', import.meta.url), 'utf8');

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

/** Replaces the card editor's text the way typing would (React sees an input event). */
async function pasteCard(text) {
  await click(browser, 'card-editor-toggle');
  await shown(browser, 'card-json');
  await browser.execute((value) => {
    const area = document.querySelector('[data-testid="card-json"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
    setter.call(area, value);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function settle() {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await browser.pause(500);
}

test('draws the kitchen-sink card in light and dark with every component', async () => {
  await click(browser, 'nav-cards');
  await shown(browser, 'card-header-title', 20000);
  await pasteCard(CARD);
  await eventually(browser, async () => (await (await byTestId(browser, 'card-header-title')).getText()).includes('Kitchen sink'),
    'the preview did not draw the pasted card', 20000);
  await eventually(browser, async () => (await (await byTestId(browser, 'editor-summary')).getAttribute('data-errors')) === '0',
    'the validator finds errors in the kitchen-sink card', 20000);
  await click(browser, 'preview-width-desktop');
  // A window large enough for the whole card at its desktop width (600 px), so the screenshot
  // shows all of it: run under an Xvfb screen at least this large (xvfb-run -s "-screen 0
  // 1920x3500x24"); a smaller one clamps the window and the picture is cut.
  const { width: windowWidth, height: windowHeight } = await browser.getWindowSize();
  await browser.setWindowSize(1920, 3400);
  await settle();
  for (const theme of ['light', 'dark']) {
    await click(browser, `preview-theme-${theme}`);
    await eventually(browser, async () => (await (await byTestId(browser, 'card-preview')).getAttribute('data-theme')) === theme,
      `the preview did not switch to ${theme}`);
    assert.equal((await browser.$$('[data-testid="card-preview"] [data-testid="card-unsupported"]')).length, 0, `${theme}: every component is drawn`);
    for (const id of ['card-md-table', 'card-link-icon', 'card-table', 'card-chart', 'card-audio', 'card-select-img', 'card-collapsible']) {
      assert.ok((await browser.$$(`[data-testid="card-preview"] [data-testid="${id}"]`)).length > 0, `${theme}: ${id} is drawn`);
    }
    const markdown = await (await browser.$('[data-testid="card-preview"] [data-testid="card-markdown"]')).getText();
    assert.match(markdown, /\*\*literal\*\* <at id=all><\/at>/, `${theme}: <raw> stays literal`);
    assert.doesNotMatch(markdown.replace('**literal** <at id=all></at>', ''), /<\/?(font|at|link|audio|number_tag|text_tag)\b/, `${theme}: no raw markup`);
    assert.equal(Math.round((await (await byTestId(browser, 'card-preview')).getSize()).width), 600, `${theme}: desktop width`);
    await browser.execute(() => document.querySelector('[data-testid="card-preview"]').scrollIntoView({ block: 'start' }));
    await settle();
    await screenshotOf(browser, 'card-preview', `kitchen-sink-${theme}`);
  }
  await click(browser, 'preview-theme-light');
  await browser.setWindowSize(windowWidth, windowHeight);
});
