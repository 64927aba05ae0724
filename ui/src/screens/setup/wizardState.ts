// The wizard's state for one profile (or one new draft): the progress as saved (loaded once,
// then kept and saved as the admin moves on) and the checks run from the steps. The wizard is
// mounted afresh for each profile chosen, so nothing here needs to guard against another
// profile's late answers: useCommand/useLoad ignore whatever answers after unmount.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import * as commands from "../../api/commands";
import type { CommandError } from "../../api/invoke";
import type { CheckId } from "../../bindings/CheckId";
import type { CheckOutcome } from "../../bindings/CheckOutcome";
import type { CheckStatus } from "../../bindings/CheckStatus";
import type { WizardProgress } from "../../bindings/WizardProgress";
import { inCheckOrder, overallStatus } from "../../checks/checkIds";
import { isKeychainError } from "../../errors/ErrorBanner";
import { useErrors } from "../../errors/ErrorContext";
import { useCommand, useLoad } from "../../lib/useCommand";
import { isWizardView, STEP_IDS, type StepId, type WizardView } from "./steps";

export const NO_PROGRESS: WizardProgress = { currentStep: null, steps: {}, confirmed: [] };

/** Progress saved before `confirmed` existed has none. */
const withConfirmed = (saved: WizardProgress): WizardProgress => ({ ...saved, confirmed: saved.confirmed ?? [] });

export interface ProgressState {
  progress: WizardProgress;
  /** The progress as last changed, for callbacks that read it after awaiting. */
  latest: () => WizardProgress;
  /** Changes the progress and saves it under the profile's current name (none for a draft). */
  persist: (next: WizardProgress) => void;
  /** The saved progress is still being read. */
  loading: boolean;
  /** Where the saved progress left the admin (step 1 without any). */
  savedStep: WizardView;
}

/**
 * `opened`: the profile the wizard opened with (null for a draft), whose progress is read;
 * `name()`: the profile now (a draft gets one once saved), under which changes are saved.
 */
export function useWizardProgress(opened: string | null, name: () => string | null): ProgressState {
  const { show } = useErrors();
  const loaded = useLoad(useMemo(() => (opened ? () => commands.getWizardProgress(opened) : null), [opened]));
  /** Set by the first change here; until then the progress is the loaded one. */
  const [changed, setChanged] = useState<WizardProgress | null>(null);
  const progress = changed ?? (loaded.data ? withConfirmed(loaded.data) : NO_PROGRESS);
  const latest = useRef(progress);
  useEffect(() => {
    latest.current = progress;
  });

  const persist = useCallback(
    (next: WizardProgress) => {
      latest.current = next;
      setChanged(next);
      const current = name();
      if (current) commands.setWizardProgress(current, next).catch(show);
    },
    [show, name],
  );

  const savedStep = loaded.data && isWizardView(loaded.data.currentStep) ? loaded.data.currentStep : "platform";
  return {
    progress,
    latest: useCallback(() => latest.current, []),
    persist,
    loading: opened !== null && loaded.data === undefined && loaded.error === null,
    savedStep,
  };
}

type ByStep<T> = Partial<Record<StepId, T>>;

export interface StepChecks {
  outcomes: ByStep<CheckOutcome[]>;
  running: StepId | null;
  checkErrors: ByStep<CommandError>;
  runStepChecks: (step: StepId, ids: readonly CheckId[], testChat?: string) => Promise<CheckOutcome[] | null>;
  markStep: (step: StepId, status: CheckStatus) => void;
  confirm: (id: string, yes: boolean) => void;
}

/** Runs a step's checks for `name()`, records the outcomes and the step's status in the progress. */
export function useStepChecks(name: () => string | null, { latest, persist }: ProgressState): StepChecks {
  const [outcomes, setOutcomes] = useState<ByStep<CheckOutcome[]>>({});
  const [running, setRunning] = useState<StepId | null>(null);
  const [checkErrors, setCheckErrors] = useState<ByStep<CommandError>>({});
  const outcomesRef = useRef<ByStep<CheckOutcome[]>>({});
  // Shown beside the step's button (a keychain failure goes to the banner).
  const checks = useCommand(commands.runChecks, { inline: true });
  const { run } = checks;

  const markStep = useCallback(
    (target: StepId, status: CheckStatus) => {
      const current = latest();
      persist({ ...current, steps: { ...current.steps, [target]: status } });
    },
    [latest, persist],
  );

  const runStepChecks = useCallback(
    async (target: StepId, ids: readonly CheckId[], testChat?: string) => {
      const profile = name();
      if (!profile) return null;
      setRunning(target);
      setCheckErrors(({ [target]: _, ...others }) => others);
      const answer = await run(profile, [...ids], testChat);
      setRunning((current) => (current === target ? null : current));
      if (answer.status === "failed" && !isKeychainError(answer.error)) {
        const error = answer.error;
        setCheckErrors((current) => ({ ...current, [target]: error }));
      }
      if (answer.status !== "done") return null;
      const result = inCheckOrder(answer.value);
      outcomesRef.current = { ...outcomesRef.current, [target]: result };
      setOutcomes(outcomesRef.current);
      const status = overallStatus(result, latest().confirmed);
      if (status) markStep(target, status);
      return result;
    },
    [name, run, latest, markStep],
  );

  const confirm = useCallback(
    (id: string, yes: boolean) => {
      const current = latest();
      const others = current.confirmed.filter((c) => c !== id);
      const confirmed = yes ? [...others, id] : others;
      // A step whose last run had this item takes its status again, with the item confirmed or not.
      const steps = { ...current.steps };
      for (const target of STEP_IDS) {
        const results = outcomesRef.current[target];
        const status = results?.some((o) => o.id === id) ? overallStatus(results, confirmed) : null;
        if (status) steps[target] = status;
      }
      persist({ ...current, steps, confirmed });
    },
    [latest, persist],
  );

  return { outcomes, running, checkErrors, runStepChecks, markStep, confirm };
}
