import { describe, expect, it } from "vitest";
import { lineOfPath, lineRange, parentPath, pathLines } from "./jsonPaths";

const CARD = `{
  "schema": "2.0",
  "header": {
    "title": {"tag": "plain_text", "content": "x"}
  },
  "body": {
    "elements": [
      {"tag": "markdown", "content": "a\\nb"},
      {
        "tag": "text",
        "zh-cn": 1
      }
    ]
  }
}`;

describe("json paths in the editor", () => {
  it("finds the line of keys and array items as the validator names them", () => {
    const lines = pathLines(CARD);
    expect(lines.get("$.schema")).toBe(2);
    expect(lines.get("$.header.title.content")).toBe(4);
    expect(lines.get("$.body.elements[0]")).toBe(8);
    expect(lines.get("$.body.elements[1].tag")).toBe(10);
    expect(lines.get("$.body.elements[1]['zh-cn']")).toBe(11);
  });

  it("falls back to the nearest ancestor for a path that is not in the text", () => {
    expect(lineOfPath(CARD, "$.body.elements[1].behaviors[0].value")).toBe(9);
    expect(lineOfPath(CARD, "$.config.update_multi")).toBe(1);
    expect(parentPath("$.a['b.c'][3]")).toBe("$.a['b.c']");
    expect(parentPath("$.a['b.c']")).toBe("$.a");
    expect(parentPath("$")).toBeNull();
  });

  it("keeps what it found before a syntax error", () => {
    const lines = pathLines('{\n  "schema": "2.0",\n  "body": {\n    "elements": [\n');
    expect(lines.get("$.schema")).toBe(2);
    expect(lines.get("$.body.elements")).toBe(4);
  });

  it("gives a line's character range", () => {
    expect(lineRange("ab\ncd\nef", 2)).toEqual([3, 5]);
    expect(lineRange("ab", 5)).toEqual([2, 2]);
  });
});
