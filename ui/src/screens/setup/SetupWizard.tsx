// The setup wizard: works on the app's current profile (the last used, or the sandbox's) or on a
// new one, restores where the user left it, and keeps the progress saved as they move through
// the steps. Each profile (or new draft) opened gets a freshly mounted ProfileWizard.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import type { CheckStatus } from "../../bindings/CheckStatus";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import { Spinner } from "../../components/BusyButton";
import { NotInApp } from "../../components/NotInApp";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useLoad } from "../../lib/useCommand";
import * as commands from "../../api/commands";
import { useChosenProfile } from "../../profiles/CurrentProfile";
import { useProfileList } from "../../profiles/useProfileList";
import { useSettings } from "../../settings/SettingsContext";
import { AppConfigStep } from "./AppConfigStep";
import { ApplyStep } from "./apply/ApplyStep";
import { CredentialsStep } from "./CredentialsStep";
import { EndToEndStep } from "./EndToEndStep";
import { IntegrationStep } from "./IntegrationStep";
import { PlatformStep } from "./PlatformStep";
import { PublishStep } from "./PublishStep";
import { ScopesStep } from "./ScopesStep";
import { FinishSummary } from "./FinishSummary";
import { Stepper } from "./Stepper";
import { isStepId, type StepId, type WizardView } from "./steps";
import { NO_SECRETS, WizardContext, type Draft, type TypedSecrets, type WizardApi } from "./WizardContext";
import { useStepChecks, useWizardProgress } from "./wizardState";

const NEW_DRAFT: Draft = { platform: "feishu", baseUrl: "", name: "" };

export function SetupWizard() {
  const { insideApp } = useSettings();
  return insideApp ? <Wizard /> : <NotInApp />;
}

/** Which wizard is open: bumped when another profile or a new draft is opened (not when the draft is saved). */
interface Session {
  serial: number;
  /** A new draft the admin asked for: its first step takes the focus. */
  focus: boolean;
}

function Wizard() {
  const { t } = useTranslation();
  const location = useLocation();
  const { profiles, sandbox, upsert } = useProfileList();
  const [chosen, choose] = useChosenProfile(profiles, sandbox);
  const asked = location.state as { newProfile?: boolean; step?: string } | null;
  const [newMode, setNewMode] = useState(() => asked?.newProfile === true);
  /** A step another screen sent the admin to (the Doctor's "Fix with Apply"), for the first wizard only. */
  const [askedStep] = useState(() => (isStepId(asked?.step) ? asked.step : null));
  const [session, setSession] = useState<Session>({ serial: 0, focus: false });
  const isNew = newMode || profiles?.length === 0;
  const name = isNew ? null : chosen;

  const startNew = (focus: boolean) => {
    setNewMode(true);
    setSession((s) => ({ serial: s.serial + 1, focus }));
  };
  const open = (profile: string) => {
    choose(profile);
    setNewMode(false);
    setSession((s) => ({ serial: s.serial + 1, focus: false }));
  };
  const created = (profile: ProfileSummary) => {
    upsert(profile);
    choose(profile.name);
    setNewMode(false);
  };

  return (
    <>
      <SandboxBanner sandbox={sandbox} />
      <div className="toolbar" data-testid="setup-toolbar">
        {profiles && profiles.length > 0 && (
          <ProfileSelect
            profiles={profiles}
            sandbox={sandbox}
            value={name ?? ""}
            emptyOption={isNew ? t("setup.newProfileOption") : undefined}
            onChange={(next) => (next ? open(next) : startNew(true))}
            testId="setup-profile-select"
          />
        )}
        <button type="button" className="button button--secondary" data-testid="setup-new-profile" onClick={() => startNew(true)}>
          {t("setup.newProfile")}
        </button>
      </div>
      {/* A new draft needs no list: it opens at once, even while a busy keychain holds the list up. */}
      {profiles === null && !isNew ? (
        <WizardLoading />
      ) : (
        <ProfileWizard
          key={session.serial}
          name={name}
          profiles={profiles ?? []}
          sandbox={sandbox}
          focusFirst={session.focus || (session.serial === 0 && askedStep !== null)}
          initialStep={session.serial === 0 ? askedStep : null}
          onCreated={created}
          onChanged={upsert}
        />
      )}
    </>
  );
}

function WizardLoading() {
  const { t } = useTranslation();
  return (
    <p className="panel muted loading-line" data-testid="setup-loading">
      <Spinner /> {t("common.loading")}
    </p>
  );
}

interface ProfileWizardProps {
  /** The profile; null for a new draft (until it is saved). */
  name: string | null;
  profiles: ProfileSummary[];
  sandbox: SandboxStatus;
  focusFirst: boolean;
  /** Open at this step instead of where the saved progress left off. */
  initialStep: StepId | null;
  onCreated: (profile: ProfileSummary) => void;
  onChanged: (profile: ProfileSummary) => void;
}

function ProfileWizard({ name, profiles, sandbox, focusFirst, initialStep, onCreated, onChanged }: ProfileWizardProps) {
  const [step, setStep] = useState<WizardView | null>(initialStep);
  const [draft, setDraft] = useState<Draft>(NEW_DRAFT);
  const [typed, setTyped] = useState<TypedSecrets>(NO_SECRETS);
  // Read after awaiting: a draft saved meanwhile has its name by then.
  const nameRef = useRef(name);
  useEffect(() => {
    nameRef.current = name;
  }, [name]);
  const currentName = useCallback(() => nameRef.current, []);
  const [opened] = useState(name);
  const progressState = useWizardProgress(opened, currentName);
  const { progress, persist, latest } = progressState;
  const checks = useStepChecks(currentName, progressState);
  const guide = useLoad(useMemo(() => (name ? () => commands.setupGuide(name) : null), [name]));
  const focusStep = useRef(focusFirst);
  const view = step ?? progressState.savedStep;
  const profile = profiles.find((p) => p.name === name) ?? null;

  const goTo = useCallback(
    (next: WizardView) => {
      focusStep.current = true;
      setStep(next);
      if (nameRef.current) persist({ ...latest(), currentStep: next });
    },
    [persist, latest],
  );

  const profileCreated = useCallback(
    (created: ProfileSummary) => {
      nameRef.current = created.name;
      onCreated(created);
      persist({ currentStep: "credentials", steps: { platform: "pass" }, confirmed: [] });
    },
    [onCreated, persist],
  );

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
    existingNames: profiles.map((p) => p.name),
    guide: guide.data ?? null,
    guideLoading: guide.busy,
    sandbox,
    ...checks,
    profileCreated,
    profileChanged: onChanged,
    statuses,
    confirmed: progress.confirmed,
    goTo,
    consumeFocus,
  };

  if (progressState.loading || (name !== null && !profile)) return <WizardLoading />;
  return (
    <WizardContext.Provider value={api}>
      <div className="wizard">
        <Stepper current={view} statuses={statuses} hasProfile={profile !== null} onSelect={goTo} />
        <div className="wizard__body">
          <CurrentStep step={view} />
        </div>
      </div>
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
    case "apply":
      return <ApplyStep />;
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
