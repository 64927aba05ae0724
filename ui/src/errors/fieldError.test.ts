import { describe, expect, it } from "vitest";
import { CommandError } from "../api/invoke";
import { fieldError } from "./fieldError";

describe("fieldError", () => {
  it("finds the field an invalid_input error names", () => {
    const error = { code: "invalid_input", message: "redirectUrl: must start with https://" };
    expect(fieldError(error, ["webConfigUrl", "redirectUrl"])).toEqual({
      field: "redirectUrl",
      message: "must start with https://",
    });
  });

  it("ignores other codes and other fields", () => {
    expect(fieldError(new CommandError("storage", "name: locked"), ["name"])).toBeNull();
    expect(fieldError({ code: "invalid_input", message: "secrets: Enter one." }, ["name"])).toBeNull();
  });
});
