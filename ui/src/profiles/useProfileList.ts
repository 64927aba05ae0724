// The profiles and the sandbox state, loaded once per screen (and again when the banner's Retry
// asks screens to reload). Which of them a screen works on is the current profile
// (CurrentProfile.tsx).
import { useCallback, useState } from "react";
import * as commands from "../api/commands";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { useErrors } from "../errors/ErrorContext";
import { useCommand, useLoad } from "../lib/useCommand";

export const SANDBOX_OFF: SandboxStatus = { active: false };

export interface ProfileList {
  /** null while loading (or when loading failed). */
  profiles: ProfileSummary[] | null;
  sandbox: SandboxStatus;
  /** Loads the list again and returns it (the error, if any, is shown). */
  reload: () => Promise<ProfileSummary[] | null>;
  /** Adds or replaces a profile by name (after a save returned the new summary). */
  upsert: (profile: ProfileSummary) => void;
}

interface Loaded {
  profiles: ProfileSummary[];
  sandbox: SandboxStatus;
}

function upsertInto(list: readonly ProfileSummary[], profile: ProfileSummary): ProfileSummary[] {
  const others = list.filter((p) => p.name !== profile.name);
  return others.length === list.length
    ? [...list, profile].sort((a, b) => a.name.localeCompare(b.name))
    : list.map((p) => (p.name === profile.name ? profile : p));
}

export function useProfileList(): ProfileList {
  const { show } = useErrors();
  const load = useCallback(async (): Promise<Loaded> => {
    // Without the sandbox's state the list still shows (the failure in the banner).
    const sandbox = commands.sandboxStatus().catch((error: unknown) => {
      show(error);
      return SANDBOX_OFF;
    });
    const [profiles, status] = await Promise.all([commands.listProfiles(), sandbox]);
    return { profiles, sandbox: status };
  }, [show]);
  const loaded = useLoad(load);
  const listing = useCommand(commands.listProfiles);
  const { run: list } = listing;
  /** Changes made here since the last load (a newer load replaces them). */
  const [changed, setChanged] = useState<{ base: Loaded; profiles: ProfileSummary[] } | null>(null);
  const base = loaded.data;
  const profiles = base ? (changed?.base === base ? changed.profiles : base.profiles) : null;

  const reload = useCallback(async () => {
    const answer = await list();
    if (answer.status !== "done") return null;
    if (base) setChanged({ base, profiles: answer.value });
    return answer.value;
  }, [list, base]);

  const upsert = useCallback(
    (profile: ProfileSummary) => {
      if (!base) return;
      setChanged((current) => ({
        base,
        profiles: upsertInto(current?.base === base ? current.profiles : base.profiles, profile),
      }));
    },
    [base],
  );

  return { profiles, sandbox: base?.sandbox ?? SANDBOX_OFF, reload, upsert };
}
