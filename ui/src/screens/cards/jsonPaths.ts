// Where a validator finding's JSON path (`$.body.elements[2].tag`) sits in the editor's text, so
// clicking the finding can select that line. A small tolerant scanner: it records the line of
// every key and value it reaches and stops quietly at the first syntax error (the finding for a
// syntax error carries its own line).

/** The key segment as the validator writes it: `.key`, or `['odd key']`. */
function keySegment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

class Scanner {
  private i = 0;
  private line = 1;
  readonly lines = new Map<string, number>();

  constructor(private readonly text: string) {}

  run(): Map<string, number> {
    try {
      this.skip();
      this.value("$");
    } catch {
      // Half-written JSON: keep what was found so far.
    }
    return this.lines;
  }

  private skip() {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === "\n") this.line += 1;
      else if (c !== " " && c !== "\t" && c !== "\r") return;
      this.i += 1;
    }
  }

  private fail(): never {
    throw new Error("syntax");
  }

  private value(path: string) {
    if (!this.lines.has(path)) this.lines.set(path, this.line);
    const c = this.text[this.i];
    if (c === "{") this.object(path);
    else if (c === "[") this.array(path);
    else if (c === '"') this.string();
    else this.scalar();
  }

  private object(path: string) {
    this.i += 1;
    this.skip();
    if (this.text[this.i] === "}") {
      this.i += 1;
      return;
    }
    for (;;) {
      this.skip();
      if (this.text[this.i] !== '"') this.fail();
      const keyLine = this.line;
      const key = this.string();
      const child = `${path}${keySegment(key)}`;
      this.lines.set(child, keyLine);
      this.skip();
      if (this.text[this.i] !== ":") this.fail();
      this.i += 1;
      this.skip();
      this.value(child);
      this.skip();
      const c = this.text[this.i];
      this.i += 1;
      if (c === "}") return;
      if (c !== ",") this.fail();
    }
  }

  private array(path: string) {
    this.i += 1;
    this.skip();
    if (this.text[this.i] === "]") {
      this.i += 1;
      return;
    }
    for (let index = 0; ; index++) {
      this.skip();
      this.value(`${path}[${index}]`);
      this.skip();
      const c = this.text[this.i];
      this.i += 1;
      if (c === "]") return;
      if (c !== ",") this.fail();
    }
  }

  private string(): string {
    const t = this.text;
    let out = "";
    this.i += 1;
    while (this.i < t.length) {
      const c = t[this.i] as string;
      if (c === '"') {
        this.i += 1;
        return out;
      }
      if (c === "\\") {
        const next = t[this.i + 1] ?? "";
        if (next === "u") {
          out += String.fromCharCode(parseInt(t.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
          continue;
        }
        out += ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[next] ?? next;
        this.i += 2;
        continue;
      }
      if (c === "\n") this.fail();
      out += c;
      this.i += 1;
    }
    this.fail();
  }

  private scalar() {
    const start = this.i;
    while (this.i < this.text.length && /[-+.0-9a-zA-Z]/.test(this.text[this.i] as string)) this.i += 1;
    if (this.i === start) this.fail();
  }
}

/** Every path the text reaches, with its 1-based line. */
export function pathLines(text: string): Map<string, number> {
  return new Scanner(text).run();
}

/** The parent of a path: `$.a.b[2]` → `$.a.b` → `$.a` → `$`; null above the root. */
export function parentPath(path: string): string | null {
  if (path === "$" || !path.startsWith("$")) return null;
  const m = /^(.*?)(\[\d+\]|\['(?:[^'\\]|\\.)*'\]|\.[^.[]+)$/.exec(path);
  return m ? m[1] || "$" : "$";
}

/** The line a path (or its nearest existing ancestor) starts on; 1 when nothing matches. */
export function lineOfPath(text: string, path: string, lines = pathLines(text)): number {
  for (let p: string | null = path; p; p = parentPath(p)) {
    const line = lines.get(p);
    if (line !== undefined) return line;
  }
  return 1;
}

/** Character offsets of a 1-based line, for selecting it in a textarea. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}
