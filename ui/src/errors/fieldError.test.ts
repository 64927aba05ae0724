import { describe, expect, it } from "vitest";
import { CommandError } from "../api/invoke";
import { problem } from "../test/fixtures";
import { fieldError } from "./fieldError";

describe("fieldError", () => {
  it("finds the field a problem names", () => {
    const refused = problem("invalid_input", "callback_url_not_https", { value: "http://x" }, { field: "redirectUrl" });
    expect(fieldError(refused, ["webConfigUrl", "redirectUrl"])).toEqual({ field: "redirectUrl", problem: expect.objectContaining(refused) });
  });

  it("matches the field exactly", () => {
    const duplicate = problem("invalid_input", "export_duplicate", { name: "Prod" }, { field: "profiles[2].name" });
    expect(fieldError(duplicate, ["name"])).toBeNull();
    expect(fieldError(duplicate, ["profiles[2].name"])?.field).toBe("profiles[2].name");
  });

  it("ignores a problem without a field, or with another one", () => {
    expect(fieldError(new CommandError(problem("storage", "database", { detail: "locked" })), ["name"])).toBeNull();
    expect(fieldError(problem("invalid_input", "secrets_empty", {}, { field: "secrets" }), ["name"])).toBeNull();
    expect(fieldError("name: not a problem", ["name"])).toBeNull();
  });
});
