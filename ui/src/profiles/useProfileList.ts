// The profiles and the sandbox state, loaded once per screen, and which profile to open first:
// the one used last, else the sandbox's while it is on, else the first.
import { useCallback, useEffect, useState } from "react";
import * as commands from "../api/commands";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { useErrors } from "../errors/ErrorContext";
import { lastProfile } from "../lib/lastProfile";
import { resolveProfile } from "./CurrentProfile";

export const SANDBOX_OFF: SandboxStatus = { active: false };

/** The profile to open first (see resolveProfile); new code uses useChosenProfile instead. */
export function defaultProfileName(profiles: readonly ProfileSummary[], sandbox: SandboxStatus): string | null {
  return resolveProfile(lastProfile(), profiles, sandbox);
}

export interface ProfileList {
  /** null while loading (or when loading failed). */
  profiles: ProfileSummary[] | null;
  sandbox: SandboxStatus;
  /** Loads the list again and returns it (the error, if any, is shown). */
  reload: () => Promise<ProfileSummary[] | null>;
  /** Adds or replaces a profile by name (after a save returned the new summary). */
  upsert: (profile: ProfileSummary) => void;
}

export function useProfileList(onLoaded?: (profiles: ProfileSummary[], sandbox: SandboxStatus) => void): ProfileList {
  const { show, reloadToken } = useErrors();
  const [profiles, setProfiles] = useState<ProfileSummary[] | null>(null);
  const [sandbox, setSandbox] = useState<SandboxStatus>(SANDBOX_OFF);
  const [initial] = useState(() => onLoaded);

  useEffect(() => {
    let live = true;
    const sandboxStatus = commands.sandboxStatus().catch((error: unknown) => {
      show(error);
      return SANDBOX_OFF;
    });
    Promise.all([commands.listProfiles(), sandboxStatus])
      .then(([list, status]) => {
        if (!live) return;
        setProfiles(list);
        setSandbox(status);
        initial?.(list, status);
      })
      .catch((error: unknown) => {
        if (live) show(error);
      });
    return () => {
      live = false;
    };
  }, [show, initial, reloadToken]);

  const reload = useCallback(async () => {
    try {
      const list = await commands.listProfiles();
      setProfiles(list);
      return list;
    } catch (error) {
      show(error);
      return null;
    }
  }, [show]);

  const upsert = useCallback((profile: ProfileSummary) => {
    setProfiles((current) => {
      const list = current ?? [];
      const others = list.filter((p) => p.name !== profile.name);
      return others.length === list.length
        ? [...list, profile].sort((a, b) => a.name.localeCompare(b.name))
        : list.map((p) => (p.name === profile.name ? profile : p));
    });
  }, []);

  return { profiles, sandbox, reload, upsert };
}
