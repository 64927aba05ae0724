// The UI's small data layer: call a command, keep its answer and its problem as state, show the
// problem (the banner, or inline for a refused form field), and ignore late answers: a newer
// call, or the component going away, makes an older answer (or failure) be ignored.
//
//   const save = useCommand(commands.setProxy, { fields: ["proxy"] });
//   await save.run(value);  save.busy, save.fieldError?.problem (problemMessage)
//
//   const history = useLoad(useCallback(() => commands.doctorHistory(name), [name]));
//   history.data (undefined while loading), history.reload()
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { toCommandError, type CommandError } from "../api/invoke";
import { isKeychainError } from "../errors/ErrorBanner";
import { useErrors } from "../errors/ErrorContext";
import { fieldError, type FieldError } from "../errors/fieldError";

export type RunResult<T> =
  | { status: "done"; value: T }
  | { status: "failed"; error: CommandError }
  /** A newer call was made, or the component unmounted: the answer was ignored. */
  | { status: "stale" };

export interface CommandOptions<F extends string = string> {
  /** Show a failure in the error banner (default true). A refused field never goes there. */
  banner?: boolean;
  /** Fields of a form: a problem naming one of them (`problem.field`) goes to `fieldError` instead of the banner. */
  fields?: readonly F[];
  /**
   * The failure is shown beside the action (`<ActionError error={cmd.error} />`), not in the
   * banner; a keychain failure still goes to the banner (its Retry brings the screens back), and
   * a refused field to `fieldError`, leaving `error` null.
   */
  inline?: boolean;
}

export interface Command<A extends unknown[], T, F extends string = string> {
  run: (...args: A) => Promise<RunResult<T>>;
  /** The last answer (kept while a newer call runs); undefined before the first one. */
  data: T | undefined;
  /** The last call's failure, if it failed (cleared when a new call starts). */
  error: CommandError | null;
  /** The refused field, when the last call failed with a problem naming one of `fields`. */
  fieldError: FieldError<F> | null;
  busy: boolean;
  /** Forgets answer and failure, and makes a running call's answer be ignored. */
  reset: () => void;
}

export function useCommand<A extends unknown[], T, F extends string = string>(
  command: (...args: A) => Promise<T>,
  options: CommandOptions<F> = {},
): Command<A, T, F> {
  const { show } = useErrors();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<CommandError | null>(null);
  const [refused, setRefused] = useState<FieldError<F> | null>(null);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);
  const latest = useRef({ command, options });

  useLayoutEffect(() => {
    latest.current = { command, options };
  });

  useEffect(() => {
    const calls = generation;
    return () => {
      // Unmounted: whatever is still running answers into the void.
      calls.current += 1;
    };
  }, []);

  const run = useCallback(
    async (...args: A): Promise<RunResult<T>> => {
      const mine = ++generation.current;
      const { command: call, options: opts } = latest.current;
      setBusy(true);
      // The last failure goes while the action runs again (the last answer stays until the new one).
      setError(null);
      setRefused(null);
      try {
        const value = await call(...args);
        if (mine !== generation.current) return { status: "stale" };
        setData(value);
        setError(null);
        setRefused(null);
        setBusy(false);
        return { status: "done", value };
      } catch (rejection) {
        if (mine !== generation.current) return { status: "stale" };
        const failure = toCommandError(rejection);
        const field = opts.fields ? fieldError(failure, opts.fields) : null;
        const toBanner = opts.inline ? isKeychainError(failure) : !field && opts.banner !== false;
        setError(opts.inline && (toBanner || field) ? null : failure);
        setRefused(field);
        setBusy(false);
        if (toBanner) show(failure);
        return { status: "failed", error: failure };
      }
    },
    [show],
  );

  const reset = useCallback(() => {
    generation.current += 1;
    setData(undefined);
    setError(null);
    setRefused(null);
    setBusy(false);
  }, []);

  return { run, data, error, fieldError: refused, busy, reset };
}

export interface Loaded<T> extends Omit<Command<[], T>, "run"> {
  /** Loads again (keeping the current data on screen until the answer). */
  reload: () => Promise<RunResult<T>>;
}

/**
 * Loads with `load` on mount, whenever `load` changes (memoize it with useCallback on what it
 * reads) and when the screens are asked to reload (the keychain came back). `null` waits: no
 * call, no data (e.g. no profile chosen yet). A new loader drops the old loader's data.
 */
export function useLoad<T>(load: (() => Promise<T>) | null, options: CommandOptions = {}): Loaded<T> {
  const { reloadToken } = useErrors();
  const command = useCommand<[], T>(load ?? noLoader, options);
  const { run, reset } = command;
  const previous = useRef<typeof load | undefined>(undefined);

  useEffect(() => {
    const changed = previous.current !== load;
    previous.current = load;
    if (changed) reset();
    if (load) void run();
  }, [load, reloadToken, run, reset]);

  return {
    data: command.data,
    error: command.error,
    fieldError: command.fieldError,
    busy: command.busy,
    reset,
    reload: run,
  };
}

function noLoader(): Promise<never> {
  return Promise.reject(new Error("nothing to load"));
}
