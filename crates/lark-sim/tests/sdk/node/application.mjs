// The official Node SDK's application API clients (v6 reads, v7 writes) against lark-sim.
//
// Usage: node application.mjs BASE_URL APP_ID APP_SECRET
// Runs application.get, v7 applicationConfig.patch / applicationAbility.patch /
// applicationBase.patch, applicationAppVersion.list (the draft), applicationPublish.create,
// applicationAppVersion.get, scope.list, scope.apply, application.get again, and one call that
// must be refused (another app's id); prints one JSON line with what the SDK returned.
import * as lark from '@larksuiteoapi/node-sdk';
import { answerOf, emit, watchdog } from './common.mjs';

watchdog(25);
const [base, appId, appSecret] = process.argv.slice(2);
const client = new lark.Client({
  appId,
  appSecret,
  domain: base,
  loggerLevel: lark.LoggerLevel.fatal,
});
const { v6, v7 } = client.application;

async function step(name, call) {
  try {
    const answer = await call();
    if (answer?.code !== 0) throw Object.assign(new Error(name), { response: { data: answer } });
    return answer;
  } catch (error) {
    emit({ ok: false, step: name, answer: answerOf(error) });
    process.exit(1);
  }
}

const path = { app_id: appId };
const before = await step('application.get', () =>
  v6.application.get({ path, params: { lang: 'zh_cn' } }));
await step('applicationConfig.patch', () => v7.applicationConfig.patch({
  path,
  data: {
    scope: { add_scopes: [{ scope_name: 'im:chat:readonly', token_type: 'tenant' }] },
    event: { subscription_type: 'webhook', request_url: 'https://hooks.example.com/node/events', add_events: ['im.chat.disbanded_v1'] },
    callback: { callback_type: 'websocket', add_callbacks: ['card.action.trigger'] },
    security: { add: { redirect_urls: ['https://example.com/node-oauth'] } },
  },
}));
await step('applicationAbility.patch', () => v7.applicationAbility.patch({
  path,
  data: {
    web_app: { enable: true, pc_url: 'https://example.com/node-pc', mobile_url: 'https://example.com/node-m' },
    bot: { enable: true, message_card_callback_url: 'https://hooks.example.com/node/cards' },
  },
}));
await step('applicationBase.patch', () => v7.applicationBase.patch({
  path,
  data: { i18ns: [{ i18n_key: 'zh_cn', name: 'Node bridge', description: 'set by node-sdk' }] },
}));
const drafts = await step('applicationAppVersion.list', () =>
  v6.applicationAppVersion.list({ path, params: { lang: 'zh_cn', page_size: 10 } }));
const published = await step('applicationPublish.create', () => v7.applicationPublish.create({
  path,
  data: { remark: 'from node-sdk', changelog: 'scopes, events, web app', version: '1.1.0' },
}));
const version = await step('applicationAppVersion.get', () => v6.applicationAppVersion.get({
  path: { app_id: appId, version_id: published.data.version_id },
  params: { lang: 'zh_cn' },
}));
const scopes = await step('scope.list', () => v6.scope.list({}));
const applied = await step('scope.apply', () => v6.scope.apply({}));
const after = await step('application.get (after)', () =>
  v6.application.get({ path, params: { lang: 'zh_cn' } }));
let refused;
try {
  refused = await v6.application.get({ path: { app_id: 'cli_0123456789abcdef' }, params: { lang: 'zh_cn' } });
} catch (error) {
  refused = answerOf(error);
}

emit({
  ok: true,
  before: before.data.app,
  drafts: drafts.data,
  published: published.data,
  version: version.data.app_version,
  scopes: scopes.data.scopes,
  apply_code: applied.code,
  after: after.data.app,
  refused: { code: refused.code, msg: refused.msg },
});
