// Follows a published version while it waits for a tenant admin: asks the platform every few
// seconds until it is online, rejected or otherwise settled. A failed ask is shown and retried.
import { useEffect, useState } from "react";
import * as commands from "../../../api/commands";
import { toCommandError, type CommandError } from "../../../api/invoke";
import type { PublishReport } from "../../../bindings/PublishReport";

/** How often the window asks (tests shorten it). */
export const VERSION_POLL = { ms: 3000 };

export function useVersionState(name: string, published: PublishReport | undefined) {
  const [latest, setLatest] = useState<PublishReport | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  // An answer about an older version is not this one's.
  const current = published && latest?.versionId === published.versionId ? latest : (published ?? null);

  useEffect(() => {
    if (!current || current.state !== "underReview") return;
    let stopped = false;
    const timer = window.setTimeout(() => {
      commands
        .setupVersionState(name, current.versionId)
        .then((next) => {
          if (stopped) return;
          setError(null);
          setLatest({ ...next, version: next.version ?? current.version });
        })
        .catch((rejection: unknown) => {
          if (stopped) return;
          setError(toCommandError(rejection));
          setLatest({ ...current });
        });
    }, VERSION_POLL.ms);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [name, current]);

  return { report: current, error };
}
