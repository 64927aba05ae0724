// The one place that talks to the Rust side. Every command goes through `call`, so every
// failure reaches the UI as a `CommandError` carrying a `Problem` (a code and its values, put
// into words by errors/problemText), never `[object Object]`.
import { invoke } from "@tauri-apps/api/core";
import type { Problem } from "../bindings/Problem";
import type { ProblemCode } from "../bindings/ProblemCode";
import type { ProblemFix } from "../bindings/ProblemFix";
import type { ProblemKind } from "../bindings/ProblemKind";
import { englishProblem } from "../errors/problemText";
import type { CommandName } from "./commandNames";

export const NOT_IN_APP_MESSAGE = "Not running inside the Lark Companion app";

/** A failed command: the Problem's fields, and its English sentence as `message` (for logs). */
export class CommandError extends Error implements Problem {
  readonly code: ProblemCode;
  readonly kind: ProblemKind;
  readonly params: Problem["params"];
  readonly field?: string;
  readonly fix?: ProblemFix;

  constructor(problem: Problem) {
    super(englishProblem(problem));
    this.name = "CommandError";
    this.code = problem.code;
    this.kind = problem.kind;
    this.params = problem.params;
    if (problem.field !== undefined) this.field = problem.field;
    if (problem.fix) this.fix = problem.fix;
  }
}

/** Anything that is not a Problem (a string, an Error, no bridge): `internal`, the text as detail. */
export function internalProblem(detail: string): Problem {
  return { code: "internal", kind: "internal", params: { detail } };
}

/** True inside the Tauri webview; false in a plain browser (`npm run dev`) or a test. */
export function isInsideApp(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export async function call<T>(command: CommandName, args?: Record<string, unknown>): Promise<T> {
  if (!isInsideApp()) {
    throw new CommandError(internalProblem(NOT_IN_APP_MESSAGE));
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
  const problem = asProblem(rejection);
  if (problem) return new CommandError(problem);
  if (typeof rejection === "string") return new CommandError(internalProblem(rejection || "Unknown error"));
  if (rejection instanceof Error) return new CommandError(internalProblem(rejection.message || rejection.name));
  return new CommandError(internalProblem(describeUnknown(rejection)));
}

/** The Problem in `value`, keeping only well-formed parts (string params, a fix with a code). */
function asProblem(value: unknown): Problem | null {
  if (typeof value !== "object" || value === null) return null;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.code !== "string" || typeof candidate.kind !== "string") return null;
  const params: Problem["params"] = {};
  if (typeof candidate.params === "object" && candidate.params !== null) {
    for (const [key, param] of Object.entries(candidate.params)) {
      if (typeof param === "string") params[key] = param;
    }
  }
  const problem: Problem = { code: candidate.code as ProblemCode, kind: candidate.kind as ProblemKind, params };
  if (typeof candidate.field === "string") problem.field = candidate.field;
  const fix = validFix(candidate.fix);
  if (fix) problem.fix = fix;
  return problem;
}

function validFix(value: unknown): ProblemFix | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.code !== "string") return undefined;
  const fix: ProblemFix = { code: candidate.code as ProblemFix["code"] };
  if (typeof candidate.link === "string") fix.link = candidate.link;
  return fix;
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
