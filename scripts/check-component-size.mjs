#!/usr/bin/env node
// The UI's component size rule (issue #11): no top-level component function in ui/src (tests
// aside) is longer than MAX_LINES lines or holds more than MAX_STATE useState calls. A
// component is a top-level `function Name(` / `export function Name(` / `const Name = (...) =>`
// whose name starts with a capital letter; its end is the first line after its start that
// closes at column 0 (`}` or `};` / `);`), as the formatter writes it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const MAX_LINES = 160;
const MAX_STATE = 6;

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "ui", "src");

function* tsxFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsxFiles(path);
    else if (entry.name.endsWith(".tsx") && !/\.test\.tsx$/.test(entry.name)) yield path;
  }
}

const START =
  /^(?:export\s+)?(?:default\s+)?(?:function\s+([A-Z]\w*)\s*[<(]|(?:const|let)\s+([A-Z]\w*)\s*(?::[^=]+)?=\s*(?:memo\(|forwardRef\()?(?:async\s*)?(?:\(|\w+\s*=>|function\b))/;
const END = /^[})\]]/;

export function components(text) {
  const lines = text.split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const match = START.exec(lines[i]);
    if (!match) continue;
    const name = match[1] ?? match[2];
    let end = i;
    // A one-line arrow component ends on its own line.
    if (!/[;]\s*$/.test(lines[i]) || /[{(]\s*$/.test(lines[i])) {
      for (let j = i + 1; j < lines.length; j++) {
        if (END.test(lines[j])) {
          end = j;
          break;
        }
        end = j;
      }
    }
    const body = lines.slice(i, end + 1).join("\n");
    const states = (body.match(/\buseState\s*[<(]/g) ?? []).length;
    found.push({ name, line: i + 1, lines: end - i + 1, states });
    i = end;
  }
  return found;
}

const problems = [];
let count = 0;
for (const file of tsxFiles(src)) {
  for (const c of components(readFileSync(file, "utf8"))) {
    count += 1;
    const over = [];
    if (c.lines > MAX_LINES) over.push(`${c.lines} lines (max ${MAX_LINES})`);
    if (c.states > MAX_STATE) over.push(`${c.states} useState (max ${MAX_STATE})`);
    if (over.length) problems.push(`${relative(root, file)}:${c.line} ${c.name}: ${over.join(", ")}`);
  }
}

if (problems.length) {
  console.error(`component size rule: ${problems.length} component(s) too big:`);
  for (const p of problems) console.error(`  ${p}`);
  console.error("split them (smaller components, hooks) so each stays readable.");
  process.exit(1);
}
console.log(`component size rule: ${count} components, none over ${MAX_LINES} lines or ${MAX_STATE} useState`);
