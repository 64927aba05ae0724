// Starts the scan, asks the core where it is about once a second while the platform waits for
// the person, and reports the new profile once. Late answers (another scan started, the step
// left) are ignored.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../../api/commands";
import { toCommandError } from "../../../api/invoke";
import type { RegistrationStatus } from "../../../bindings/RegistrationStatus";
import { problemMessage } from "../../../errors/problemText";
import { useCommand } from "../../../lib/useCommand";
import { isWaiting, liveScan, phaseOf, rememberScan, SCAN_POLL, type ScanInputs, type ScanSession } from "./scanSession";

export const SCAN_FIELDS = ["name", "appName"] as const;

function failedStatus(message: string): RegistrationStatus {
  return { phase: "failed", intervalSecs: 0, lark: false, profile: null, message };
}

/** `onStatus` hears every status read after the first (a confirmed one carries the new profile). */
export function useScan(onStatus: (status: RegistrationStatus) => void) {
  const { t } = useTranslation();
  const [session, setSession] = useState<ScanSession | null>(liveScan);
  const starting = useCommand(commands.registrationStart, { inline: true, fields: SCAN_FIELDS });
  const statusRef = useRef(onStatus);
  useEffect(() => {
    statusRef.current = onStatus;
  });

  const sessionId = session?.started.sessionId ?? null;
  const waiting = session !== null && isWaiting(phaseOf(session));
  const status = session?.status;

  useEffect(() => {
    if (!waiting || !sessionId) return;
    let stopped = false;
    const timer = window.setTimeout(() => {
      commands
        .registrationStatus(sessionId)
        .catch((error: unknown) => failedStatus(problemMessage(t, toCommandError(error))))
        .then((next) => {
          if (stopped) return;
          setSession((s) => {
            if (!s || s.started.sessionId !== sessionId) return s;
            const updated = { ...s, status: next };
            rememberScan(isWaiting(next.phase) ? updated : null);
            return updated;
          });
          statusRef.current(next);
        });
    }, SCAN_POLL.ms);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [waiting, sessionId, status, t]);

  const { run } = starting;
  const start = useCallback(
    async (inputs: ScanInputs) => {
      const result = await run(inputs.platform, inputs.profileName, inputs.appName, inputs.reconfirm ?? false);
      if (result.status === "done") {
        const next: ScanSession = { inputs, started: result.value, status: null };
        rememberScan(next);
        setSession(next);
      }
      return result;
    },
    [run],
  );

  const cancel = useCallback(() => {
    if (sessionId) commands.registrationCancel(sessionId).catch(() => undefined);
    rememberScan(null);
    setSession(null);
  }, [sessionId]);

  return { session, start, cancel, starting };
}
