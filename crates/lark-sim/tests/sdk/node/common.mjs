// What the Node SDK scripts share: one JSON object per stdout line (the SDK logs go elsewhere or
// are not JSON, and the Rust side skips non-JSON lines), and a watchdog so no script outlives the
// test that started it.

export function emit(record) {
  process.stdout.write(JSON.stringify(record) + '\n');
}

/** Exits with status 3 after `seconds`, whatever the SDK is doing. */
export function watchdog(seconds) {
  const timer = setTimeout(() => {
    emit({ ok: false, outcome: 'watchdog', seconds });
    process.exit(3);
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/** The platform's answer inside an axios error (HTTP 4xx), or the error itself. */
export function answerOf(error) {
  return error?.response?.data ?? { code: -1, msg: String(error?.message ?? error) };
}
