// The Rust side reports a refused value as `invalid_input` with the message "<field>: <text>".
// Forms show that text under the field it names instead of in the banner.
import { toCommandError } from "../api/invoke";

export interface FieldError<F extends string> {
  field: F;
  message: string;
}

export function fieldError<F extends string>(rejection: unknown, fields: readonly F[]): FieldError<F> | null {
  const error = toCommandError(rejection);
  if (error.code !== "invalid_input") return null;
  for (const field of fields) {
    const prefix = `${field}: `;
    if (error.message.startsWith(prefix)) return { field, message: error.message.slice(prefix.length) };
  }
  return null;
}
