// The official Node SDK's long-connection client (WSClient) when lark-sim refuses it.
//
// Usage: node ws_refusal.mjs BASE_URL APP_ID APP_SECRET [WATCHDOG_SECONDS]
// Starts the client and prints {"ok": true, "outcome": "error", "message"} when the SDK reports
// the refusal through onError, or {"outcome": "ready"} if it connects. When the endpoint's
// answer lacks `data`, the SDK throws inside its own discovery and retries instead of
// reporting: then only the watchdog line comes out (exit 3).
import * as lark from '@larksuiteoapi/node-sdk';
import { emit, watchdog } from './common.mjs';

const [base, appId, appSecret, seconds] = process.argv.slice(2);
watchdog(Number(seconds ?? 15));
const client = new lark.WSClient({
  appId,
  appSecret,
  domain: base,
  loggerLevel: lark.LoggerLevel.fatal,
  onError: (error) => {
    emit({ ok: true, outcome: 'error', message: error.message, state: client.getConnectionStatus?.().state });
    process.exit(0);
  },
  onReady: () => {
    emit({ ok: true, outcome: 'ready' });
    process.exit(0);
  },
});
client.start({ eventDispatcher: new lark.EventDispatcher({}) });
