// How long the preview takes to draw a typical alert card: the built-in triggered and digest
// templates' output (the Rust snapshots), parsed markdown and all, mounted into a DOM. The goal
// is well under one 16 ms frame, so the preview can follow every keystroke. Run with
// `npx vitest bench --run` (the figure is recorded in docs/benchmarks.md).
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createElement } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { bench, describe } from "vitest";
import { CardPreview } from "./CardPreview";

function snapshot(name: string): unknown {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = resolve(here, "../../../crates/companion/src/cards/snapshots", `companion__cards__tests__${name}.snap`);
  return JSON.parse(readFileSync(file, "utf8").split(/^---$/m).slice(2).join("---"));
}

const cards = {
  "triggered 2.0": snapshot("triggered.v2"),
  "triggered 1.0": snapshot("triggered.v1"),
  "digest 2.0": snapshot("digest.v2"),
};

/** Not a test: React's act() warnings (the test setup turns them on) would only time the console. */
function quietReact() {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
}

describe("card preview render", () => {
  const container = document.createElement("div");
  document.body.appendChild(container);
  const root = createRoot(container);
  let mount = 0;
  for (const [name, card] of Object.entries(cards)) {
    bench(
      `mount ${name}`,
      () => {
        // A new key each time: a full mount, the worst case of a live update.
        mount += 1;
        flushSync(() => root.render(createElement(CardPreview, { key: mount, card, theme: "light", width: "desktop" })));
      },
      { setup: quietReact, warmupIterations: 20, time: 2000 },
    );
  }
});
