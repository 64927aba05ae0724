// The one place that talks to the Rust side. Every command goes through `call`, so every
// failure reaches the UI as a `CommandError` with a stable code, never `[object Object]`.
import { invoke } from "@tauri-apps/api/core";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Fix } from "../bindings/Fix";
import type { IpcError } from "../bindings/IpcError";
import type { CommandName } from "./commandNames";

export const NOT_IN_APP_MESSAGE = "Not running inside the Lark Companion app";

export class CommandError extends Error implements IpcError {
  readonly code: ErrorCode;
  readonly fix?: Fix;

  constructor(code: ErrorCode, message: string, fix?: Fix) {
    super(message);
    this.name = "CommandError";
    this.code = code;
    if (fix) this.fix = fix;
  }
}

/** True inside the Tauri webview; false in a plain browser (`npm run dev`) or a test. */
export function isInsideApp(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export async function call<T>(command: CommandName, args?: Record<string, unknown>): Promise<T> {
  if (!isInsideApp()) {
    throw new CommandError("internal", NOT_IN_APP_MESSAGE);
  }
  try {
    return await invoke<T>(command, args);
  } catch (rejection) {
    throw toCommandError(rejection);
  }
}

/** Turns anything a command (or the bridge) may reject with into a `CommandError`. */
export function toCommandError(rejection: unknown): CommandError {
  if (rejection instanceof CommandError) return rejection;
  if (isIpcError(rejection)) {
    return new CommandError(rejection.code, rejection.message, validFix(rejection.fix));
  }
  if (typeof rejection === "string") {
    return new CommandError("internal", rejection || "Unknown error");
  }
  if (rejection instanceof Error) {
    return new CommandError("internal", rejection.message || rejection.name);
  }
  return new CommandError("internal", describeUnknown(rejection));
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === "string" && typeof candidate.message === "string";
}

function validFix(value: unknown): Fix | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.text !== "string") return undefined;
  return typeof candidate.link === "string"
    ? { text: candidate.text, link: candidate.link }
    : { text: candidate.text };
}

function describeUnknown(value: unknown): string {
  if (value === undefined || value === null) return "Unknown error";
  if (typeof value === "object") {
    const message = (value as Record<string, unknown>).message;
    if (typeof message === "string" && message) return message;
    try {
      return JSON.stringify(value);
    } catch {
      return "Unknown error";
    }
  }
  return String(value);
}
