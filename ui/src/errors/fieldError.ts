// The Rust side names the form field a refused value belongs to (`problem.field`). Forms show
// that problem under the field instead of in the banner, worded with errors/problemText.
import { toCommandError } from "../api/invoke";
import type { Problem } from "../bindings/Problem";

export interface FieldError<F extends string> {
  field: F;
  /** Put into words with `problemMessage(t, problem)` where it is shown. */
  problem: Problem;
}

/** The refused field of `rejection` when it is one of `fields`, else null. */
export function fieldError<F extends string>(rejection: unknown, fields: readonly F[]): FieldError<F> | null {
  const problem = toCommandError(rejection);
  const field = fields.find((candidate) => candidate === problem.field);
  return field === undefined ? null : { field, problem };
}
