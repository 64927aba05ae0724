// The setup wizard: picks the profile (the last used, or the sandbox's), restores where the
// user left it, and keeps the progress saved as they move through the steps.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import * as commands from "../../api/commands";
import type { CommandError } from "../../api/invoke";
import type { CheckId } from "../../bindings/CheckId";
import type { CheckOutcome } from "../../bindings/CheckOutcome";
import type { CheckStatus } from "../../bindings/CheckStatus";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { SetupGuide } from "../../bindings/SetupGuide";
import type { WizardProgress } from "../../bindings/WizardProgress";
import { inCheckOrder, overallStatus } from "../../checks/checkIds";
import { Spinner } from "../../components/BusyButton";
import { NotInApp } from "../../components/NotInApp";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useErrors } from "../../errors/ErrorContext";
import { rememberProfile } from "../../lib/lastProfile";
import { defaultProfileName, useProfileList } from "../../profiles/useProfileList";
import { useSettings } from "../../settings/SettingsContext";
import { useInlineError } from "./ActionError";
import { AppConfigStep } from "./AppConfigStep";
import { CredentialsStep } from "./CredentialsStep";
import { EndToEndStep } from "./EndToEndStep";
import { IntegrationStep } from "./IntegrationStep";
import { PlatformStep } from "./PlatformStep";
import { PublishStep } from "./PublishStep";
import { ScopesStep } from "./ScopesStep";
import { FinishSummary } from "./FinishSummary";
import { Stepper } from "./Stepper";
import { isWizardView, STEP_IDS, type StepId, type WizardView } from "./steps";
import { NO_SECRETS, WizardContext, type Draft, type TypedSecrets, type WizardApi } from "./WizardContext";

const NO_PROGRESS: WizardProgress = { currentStep: null, steps: {}, confirmed: [] };
const NEW_DRAFT: Draft = { platform: "feishu", baseUrl: "", name: "" };

export function SetupWizard() {
  const { insideApp } = useSettings();
  return insideApp ? <Wizard /> : <NotInApp />;
}

/** What the wizard is showing: nothing yet (loading), a new unsaved profile, or a saved one. */
type Selection = { kind: "loading" } | { kind: "new" } | { kind: "profile"; name: string };

function Wizard() {
  const { t } = useTranslation();
  const { show } = useErrors();
  const location = useLocation();
  const [newRequested] = useState(() => (location.state as { newProfile?: boolean } | null)?.newProfile === true);

  const [selection, setSelection] = useState<Selection>({ kind: "loading" });
  const [step, setStep] = useState<WizardView>("platform");
  const [progress, setProgress] = useState<WizardProgress>(NO_PROGRESS);
  const [draft, setDraft] = useState<Draft>(NEW_DRAFT);
  const [typed, setTyped] = useState<TypedSecrets>(NO_SECRETS);
  const [guide, setGuide] = useState<SetupGuide | null>(null);
  const [guideLoading, setGuideLoading] = useState(false);
  const [outcomes, setOutcomes] = useState<Partial<Record<StepId, CheckOutcome[]>>>({});
  const [running, setRunning] = useState<StepId | null>(null);
  const [checkErrors, setCheckErrors] = useState<Partial<Record<StepId, CommandError>>>({});
  const inlineError = useInlineError();
  const [loadingProgress, setLoadingProgress] = useState(false);

  // Refs hold what async callbacks need to read after awaiting (the profile may change meanwhile).
  const nameRef = useRef<string | null>(null);
  const progressRef = useRef<WizardProgress>(NO_PROGRESS);
  const outcomesRef = useRef<Partial<Record<StepId, CheckOutcome[]>>>({});
  const generation = useRef(0);
  const focusStep = useRef(false);
  const selectionRef = useRef<Selection>(selection);
  useEffect(() => {
    selectionRef.current = selection;
  }, [selection]);

  const persist = useCallback(
    (next: WizardProgress) => {
      progressRef.current = next;
      setProgress(next);
      const name = nameRef.current;
      if (name) commands.setWizardProgress(name, next).catch(show);
    },
    [show],
  );

  const loadGuide = useCallback(
    (name: string, gen: number) => {
      setGuideLoading(true);
      commands
        .setupGuide(name)
        .then((loaded) => gen === generation.current && setGuide(loaded))
        .catch(show)
        .finally(() => gen === generation.current && setGuideLoading(false));
    },
    [show],
  );

  const openProfile = useCallback(
    (name: string) => {
      const gen = ++generation.current;
      nameRef.current = name;
      progressRef.current = NO_PROGRESS;
      rememberProfile(name);
      setSelection({ kind: "profile", name });
      setProgress(NO_PROGRESS);
      setOutcomes({});
      setCheckErrors({});
      outcomesRef.current = {};
      setTyped(NO_SECRETS);
      setGuide(null);
      setLoadingProgress(true);
      commands
        .getWizardProgress(name)
        .then((saved) => {
          if (gen !== generation.current) return;
          // Progress saved before `confirmed` existed has none.
          const loaded = { ...saved, confirmed: saved.confirmed ?? [] };
          progressRef.current = loaded;
          setProgress(loaded);
          // Without saved progress (a first launch) the wizard starts at step 1.
          setStep(isWizardView(saved.currentStep) ? saved.currentStep : "platform");
        })
        .catch((error: unknown) => {
          if (gen !== generation.current) return;
          setStep("platform");
          show(error);
        })
        .finally(() => gen === generation.current && setLoadingProgress(false));
      loadGuide(name, gen);
    },
    [show, loadGuide],
  );

  /** Loads the open profile's progress and guide again, keeping the step, what was typed and the outcomes. */
  const refreshProfile = useCallback(
    (name: string) => {
      const gen = generation.current;
      commands
        .getWizardProgress(name)
        .then((saved) => {
          if (gen !== generation.current) return;
          const loaded = { ...saved, confirmed: saved.confirmed ?? [] };
          progressRef.current = loaded;
          setProgress(loaded);
        })
        .catch(show);
      loadGuide(name, gen);
    },
    [show, loadGuide],
  );

  /** `focus`: the user asked for it, so the first step takes the focus. */
  const startNew = useCallback((focus: boolean) => {
    generation.current += 1;
    nameRef.current = null;
    progressRef.current = NO_PROGRESS;
    focusStep.current = focus;
    setSelection({ kind: "new" });
    setProgress(NO_PROGRESS);
    setDraft(NEW_DRAFT);
    setTyped(NO_SECRETS);
    setOutcomes({});
    setCheckErrors({});
    outcomesRef.current = {};
    setGuide(null);
    setGuideLoading(false);
    setLoadingProgress(false);
    setStep("platform");
  }, []);

  const onLoaded = useCallback(
    (list: ProfileSummary[], sandbox: SandboxStatus) => {
      // Loaded again (the keychain came back): stay where the admin is.
      const current = selectionRef.current;
      if (current.kind === "new") return;
      if (current.kind === "profile" && list.some((p) => p.name === current.name)) {
        refreshProfile(current.name);
        return;
      }
      const name = newRequested ? null : defaultProfileName(list, sandbox);
      if (name) openProfile(name);
      else startNew(false);
    },
    [newRequested, openProfile, startNew, refreshProfile],
  );
  const { profiles, sandbox, upsert } = useProfileList(onLoaded);

  const goTo = useCallback(
    (next: WizardView) => {
      focusStep.current = true;
      setStep(next);
      if (nameRef.current) persist({ ...progressRef.current, currentStep: next });
    },
    [persist],
  );

  const markStep = useCallback(
    (target: StepId, status: CheckStatus) => {
      persist({ ...progressRef.current, steps: { ...progressRef.current.steps, [target]: status } });
    },
    [persist],
  );

  const runStepChecks = useCallback(
    async (target: StepId, ids: readonly CheckId[], testChat?: string) => {
      const name = nameRef.current;
      if (!name) return null;
      const gen = generation.current;
      setRunning(target);
      setCheckErrors(({ [target]: _, ...others }) => others);
      try {
        const result = inCheckOrder(await commands.runChecks(name, [...ids], testChat));
        if (gen !== generation.current) return null;
        outcomesRef.current = { ...outcomesRef.current, [target]: result };
        setOutcomes(outcomesRef.current);
        const status = overallStatus(result, progressRef.current.confirmed);
        if (status) markStep(target, status);
        return result;
      } catch (rejection) {
        const error = gen === generation.current ? inlineError(rejection) : null;
        if (error) setCheckErrors((current) => ({ ...current, [target]: error }));
        return null;
      } finally {
        setRunning((current) => (current === target ? null : current));
      }
    },
    [markStep, inlineError],
  );

  const confirm = useCallback(
    (id: string, yes: boolean) => {
      const current = progressRef.current;
      const confirmed = yes ? [...current.confirmed.filter((c) => c !== id), id] : current.confirmed.filter((c) => c !== id);
      // A step whose last run had this item takes its status again, with the item confirmed or not.
      const steps = { ...current.steps };
      for (const target of STEP_IDS) {
        const results = outcomesRef.current[target];
        const status = results?.some((o) => o.id === id) ? overallStatus(results, confirmed) : null;
        if (status) steps[target] = status;
      }
      persist({ ...current, steps, confirmed });
    },
    [persist],
  );

  const profileCreated = useCallback(
    (created: ProfileSummary) => {
      const gen = ++generation.current;
      nameRef.current = created.name;
      rememberProfile(created.name);
      upsert(created);
      setSelection({ kind: "profile", name: created.name });
      persist({ currentStep: "credentials", steps: { platform: "pass" }, confirmed: [] });
      outcomesRef.current = {};
      loadGuide(created.name, gen);
    },
    [upsert, persist, loadGuide],
  );

  const profile = useMemo(() => {
    if (selection.kind !== "profile" || !profiles) return null;
    return profiles.find((p) => p.name === selection.name) ?? null;
  }, [selection, profiles]);

  const statuses = useMemo(
    (): Partial<Record<StepId, CheckStatus>> => (profile ? { ...progress.steps, platform: "pass" } : progress.steps),
    [profile, progress.steps],
  );

  const consumeFocus = useCallback(() => {
    const wanted = focusStep.current;
    focusStep.current = false;
    return wanted;
  }, []);

  const api: WizardApi = {
    profile,
    draft,
    setDraft,
    typed,
    setTyped,
    existingNames: profiles?.map((p) => p.name) ?? [],
    guide,
    guideLoading,
    sandbox,
    outcomes,
    running,
    checkErrors,
    runStepChecks,
    profileCreated,
    profileChanged: upsert,
    markStep,
    statuses,
    confirmed: progress.confirmed,
    confirm,
    goTo,
    consumeFocus,
  };

  const loading = selection.kind === "loading" || loadingProgress || (selection.kind === "profile" && !profile);

  return (
    <WizardContext.Provider value={api}>
      <SandboxBanner sandbox={sandbox} />
      <div className="toolbar" data-testid="setup-toolbar">
        {profiles && profiles.length > 0 && (
          <ProfileSelect
            profiles={profiles}
            sandbox={sandbox}
            value={selection.kind === "profile" ? selection.name : ""}
            emptyOption={selection.kind === "new" ? t("setup.newProfileOption") : undefined}
            onChange={(name) => (name ? openProfile(name) : startNew(true))}
            testId="setup-profile-select"
          />
        )}
        <button type="button" className="button button--secondary" data-testid="setup-new-profile" onClick={() => startNew(true)}>
          {t("setup.newProfile")}
        </button>
      </div>
      {loading ? (
        <p className="panel muted loading-line" data-testid="setup-loading">
          <Spinner /> {t("common.loading")}
        </p>
      ) : (
        <div className="wizard">
          <Stepper current={step} statuses={statuses} hasProfile={profile !== null} onSelect={goTo} />
          <div className="wizard__body">
            <CurrentStep step={step} />
          </div>
        </div>
      )}
    </WizardContext.Provider>
  );
}

function CurrentStep({ step }: { step: WizardView }) {
  switch (step) {
    case "finish":
      return <FinishSummary />;
    case "platform":
      return <PlatformStep />;
    case "credentials":
      return <CredentialsStep />;
    case "integration":
      return <IntegrationStep />;
    case "appConfig":
      return <AppConfigStep />;
    case "scopes":
      return <ScopesStep />;
    case "publish":
      return <PublishStep />;
    case "endToEnd":
      return <EndToEndStep />;
  }
}
