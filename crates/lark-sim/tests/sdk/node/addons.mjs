// Prints the official Node SDK's own encoding of an `addons` object (the registration link's
// `addons` parameter).
//
// Usage: echo '{"scopes":{"tenant":["im:message"]}}' | node addons.mjs
// The SDK does not export encodeAddons, so this runs registerApp itself with an axios adapter on
// the exported defaultHttpInstance that answers `begin` in-process (nothing leaves the process),
// takes the `addons` query parameter of the QR link the SDK builds, aborts the polling and prints
// it. The SDK's validation errors go to stderr with exit status 2.
import * as lark from '@larksuiteoapi/node-sdk';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const addons = JSON.parse(Buffer.concat(chunks).toString('utf8'));

lark.defaultHttpInstance.defaults.adapter = async (config) => ({
  data: {
    device_code: 'in-process',
    user_code: 'AAAA-AAAA',
    verification_uri_complete: 'https://accounts.invalid/app/scan?user_code=AAAA-AAAA',
    interval: 60,
    expires_in: 60,
  },
  status: 200,
  statusText: 'OK',
  headers: {},
  config,
});

const abort = new AbortController();
let encoded = null;
try {
  await lark.registerApp({
    domain: 'accounts.invalid',
    addons,
    signal: abort.signal,
    onQRCodeReady: ({ url }) => {
      encoded = new URL(url).searchParams.get('addons');
      abort.abort();
    },
  });
} catch (error) {
  if (encoded === null) {
    process.stderr.write(`invalid addons: ${error?.message ?? error?.description ?? error}\n`);
    process.exit(2);
  }
}
process.stdout.write(`${encoded}\n`);
process.exit(0);
