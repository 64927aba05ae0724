// The one error surface: every screen reports failures through `useErrors().show(err)`,
// and the ErrorBanner renders them.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { toCommandError, type CommandError } from "../api/invoke";

export interface ShownError {
  id: number;
  error: CommandError;
}

interface ErrorsApi {
  errors: readonly ShownError[];
  show: (rejection: unknown) => void;
  dismiss: (id: number) => void;
}

const ErrorsContext = createContext<ErrorsApi | null>(null);

/** At most this many errors stay on screen; older ones give way. */
const MAX_SHOWN = 3;

export function ErrorProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<ShownError[]>([]);
  const nextId = useRef(1);

  const show = useCallback((rejection: unknown) => {
    const shown = { id: nextId.current++, error: toCommandError(rejection) };
    setErrors((current) => [...current, shown].slice(-MAX_SHOWN));
  }, []);

  const dismiss = useCallback((id: number) => {
    setErrors((current) => current.filter((shown) => shown.id !== id));
  }, []);

  const api = useMemo(() => ({ errors, show, dismiss }), [errors, show, dismiss]);
  return <ErrorsContext.Provider value={api}>{children}</ErrorsContext.Provider>;
}

export function useErrors(): ErrorsApi {
  const api = useContext(ErrorsContext);
  if (!api) throw new Error("useErrors must be used inside <ErrorProvider>");
  return api;
}
