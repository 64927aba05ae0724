// The official Node SDK's registerApp against lark-sim's accounts endpoint.
//
// Usage: node register.mjs BASE_URL [ADDONS_JSON]
// registerApp builds `https://${domain}` itself; an interceptor on the SDK's exported
// defaultHttpInstance turns those loopback https URLs into http ones, so `domain` can be the
// simulator's `127.0.0.1:PORT` and `larkDomain` its `127.0.0.1:PORT/_lark`. Prints {"qr", "expire_in"}
// when the link is ready, {"status"} per status change, then {"ok": true, "outcome": "success",
// "client_id", "client_secret", "user_info"} or {"ok": true, "outcome": "error", "code",
// "description"}.
import * as lark from '@larksuiteoapi/node-sdk';
import { emit, watchdog } from './common.mjs';

watchdog(40);
const [base, addonsJson] = process.argv.slice(2);
const origin = new URL(base);
const host = origin.host; // 127.0.0.1:PORT
lark.defaultHttpInstance.interceptors.request.use((config) => {
  if (typeof config.url === 'string' && config.url.startsWith(`https://${host}/`)) {
    config.url = `http://${config.url.slice('https://'.length)}`;
  }
  return config;
});

try {
  const result = await lark.registerApp({
    domain: host,
    larkDomain: `${host}/_lark`,
    source: 'lark-sim-test',
    appPreset: { name: 'Node registered', desc: 'made by node-sdk' },
    addons: addonsJson ? JSON.parse(addonsJson) : undefined,
    onQRCodeReady: ({ url, expireIn }) => emit({ qr: url, expire_in: expireIn }),
    onStatusChange: (info) => emit({ status: info.status, interval: info.interval ?? null }),
  });
  emit({ ok: true, outcome: 'success', ...result });
} catch (error) {
  emit({ ok: true, outcome: 'error', code: error?.code ?? null, description: error?.description ?? String(error) });
}
process.exit(0);
