// The current profile: one choice for every screen (Setup, Doctor, Relay, Cards, Quota),
// remembered across restarts. Screens resolve it against their profile list with
// useChosenProfile, which falls back to the sandbox's profile while the sandbox is on, then
// the first profile.
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from "react";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { lastProfile, onProfileRemembered, rememberProfile } from "../lib/lastProfile";

export interface CurrentProfileApi {
  /** The remembered choice (it may name a profile that no longer exists; resolve it with useChosenProfile). */
  current: string | null;
  choose: (name: string | null) => void;
  /** A profile was renamed: follow it if it was the current one. */
  renamed: (from: string, to: string) => void;
  /** A profile was deleted: forget it if it was the current one. */
  removed: (name: string) => void;
}

const CurrentProfileContext = createContext<CurrentProfileApi | null>(null);

const same = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());

export function CurrentProfileProvider({ children }: { children: ReactNode }) {
  const current = useSyncExternalStore(onProfileRemembered, lastProfile);

  const choose = useCallback((name: string | null) => rememberProfile(name), []);
  const renamed = useCallback((from: string, to: string) => {
    if (same(lastProfile(), from)) rememberProfile(to);
  }, []);
  const removed = useCallback((name: string) => {
    if (same(lastProfile(), name)) rememberProfile(null);
  }, []);

  const api = useMemo(() => ({ current, choose, renamed, removed }), [current, choose, renamed, removed]);
  return <CurrentProfileContext.Provider value={api}>{children}</CurrentProfileContext.Provider>;
}

export function useCurrentProfile(): CurrentProfileApi {
  const api = useContext(CurrentProfileContext);
  if (!api) throw new Error("useCurrentProfile must be used inside <CurrentProfileProvider>");
  return api;
}

/** Which of `profiles` to show: the remembered one, else the sandbox's while it is on, else the first. */
export function resolveProfile(
  remembered: string | null,
  profiles: readonly ProfileSummary[],
  sandbox: SandboxStatus,
): string | null {
  const find = (name: string | null | undefined) => profiles.find((p) => same(p.name, name))?.name ?? null;
  return find(remembered) ?? (sandbox.active ? find(sandbox.profile) : null) ?? profiles[0]?.name ?? null;
}

/**
 * The profile a screen works on, resolved against its list (`null` while the list loads or when
 * there is none), and the function that changes it for every screen.
 */
export function useChosenProfile(
  profiles: readonly ProfileSummary[] | null,
  sandbox: SandboxStatus,
): [string | null, (name: string | null) => void] {
  const { current, choose } = useCurrentProfile();
  const name = profiles ? resolveProfile(current, profiles, sandbox) : null;
  return [name, choose];
}
