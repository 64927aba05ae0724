// The one error surface: every screen reports failures through `useErrors().show(err)`,
// and the ErrorBanner renders them.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { toCommandError, type CommandError } from "../api/invoke";
import type { ProblemKind } from "../bindings/ProblemKind";
import { sameProblem } from "./problemText";

export interface ShownError {
  id: number;
  error: CommandError;
}

export interface ErrorsApi {
  errors: readonly ShownError[];
  show: (rejection: unknown) => void;
  dismiss: (id: number) => void;
  /** Removes every shown error of one of these kinds (their cause went away). */
  dismissKinds: (kinds: readonly ProblemKind[]) => void;
  /**
   * Bumped when a cause of failure went away (the keychain answers again after the banner's
   * Retry). Screens that load data list it in their effect dependencies, so they load again
   * instead of staying on "Loading…".
   */
  reloadToken: number;
  requestReload: () => void;
}

const ErrorsContext = createContext<ErrorsApi | null>(null);

/** At most this many errors stay on screen; older ones give way. */
const MAX_SHOWN = 3;

export function ErrorProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [reloadToken, setReloadToken] = useState(0);
  const nextId = useRef(1);

  const show = useCallback((rejection: unknown) => {
    const error = toCommandError(rejection);
    setErrors((current) => {
      // Several loads hitting the same problem (a keychain that does not answer) show it once.
      if (current.some((shown) => sameProblem(shown.error, error))) return current;
      return [...current, { id: nextId.current++, error }].slice(-MAX_SHOWN);
    });
  }, []);

  const dismiss = useCallback((id: number) => {
    setErrors((current) => current.filter((shown) => shown.id !== id));
  }, []);

  const dismissKinds = useCallback((kinds: readonly ProblemKind[]) => {
    setErrors((current) => current.filter((shown) => !kinds.includes(shown.error.kind)));
  }, []);

  const requestReload = useCallback(() => setReloadToken((token) => token + 1), []);

  const api = useMemo(
    () => ({ errors, show, dismiss, dismissKinds, reloadToken, requestReload }),
    [errors, show, dismiss, dismissKinds, reloadToken, requestReload],
  );
  return <ErrorsContext.Provider value={api}>{children}</ErrorsContext.Provider>;
}

export function useErrors(): ErrorsApi {
  const api = useContext(ErrorsContext);
  if (!api) throw new Error("useErrors must be used inside <ErrorProvider>");
  return api;
}
