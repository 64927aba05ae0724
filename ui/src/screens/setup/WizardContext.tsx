// What every step of the wizard shares: the profile being set up (or the unsaved draft of a
// new one), the console guide for its app, the check outcomes so far, and the actions that
// move through the steps and remember where the user is.
import { createContext, useContext } from "react";
import type { CommandError } from "../../api/invoke";
import type { CheckId } from "../../bindings/CheckId";
import type { CheckOutcome } from "../../bindings/CheckOutcome";
import type { CheckStatus } from "../../bindings/CheckStatus";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { SetupGuide } from "../../bindings/SetupGuide";
import type { DraftPlatform, StepId, WizardView } from "./steps";

export interface Draft {
  platform: DraftPlatform;
  /** Only for the custom platform. */
  baseUrl: string;
  name: string;
}

/** Values typed in the credentials step. In memory only, so "Copy" works while the wizard is open. */
export interface TypedSecrets {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey: string;
}

export const NO_SECRETS: TypedSecrets = { appId: "", appSecret: "", verificationToken: "", encryptKey: "" };

export interface WizardApi {
  /** The saved profile; null while a new profile is still a draft. */
  profile: ProfileSummary | null;
  draft: Draft;
  setDraft: (draft: Draft) => void;
  typed: TypedSecrets;
  setTyped: (typed: TypedSecrets) => void;
  /** Names already taken (for the new-profile name check). */
  existingNames: readonly string[];
  guide: SetupGuide | null;
  /** The guide is being fetched (null guide and not loading: it could not be had). */
  guideLoading: boolean;
  sandbox: SandboxStatus;
  outcomes: Partial<Record<StepId, CheckOutcome[]>>;
  /** The step whose checks are running, if any. */
  running: StepId | null;
  /** Why a step's last check run failed to run (shown beside the button that ran it). */
  checkErrors: Partial<Record<StepId, CommandError>>;
  /** Runs `ids` for the profile and records the outcomes (and the step's status). */
  runStepChecks: (step: StepId, ids: readonly CheckId[], testChat?: string) => Promise<CheckOutcome[] | null>;
  /** A new profile was saved (from the draft). */
  profileCreated: (profile: ProfileSummary) => void;
  /** The saved profile changed (secrets or URLs saved). */
  profileChanged: (profile: ProfileSummary) => void;
  /** Marks a step's status without running checks (e.g. the URLs were saved). */
  markStep: (step: StepId, status: CheckStatus) => void;
  /** Each step's last known status (step 1 is done once the profile exists). */
  statuses: Partial<Record<StepId, CheckStatus>>;
  /** Check ids the admin confirmed by hand ("I checked this"). */
  confirmed: readonly string[];
  /** Confirms (or takes back) by hand an item the API cannot check; the steps' statuses follow. */
  confirm: (id: string, confirmed: boolean) => void;
  goTo: (view: WizardView) => void;
  /** True once after the user moved to another step: the new step then takes the focus. */
  consumeFocus: () => boolean;
}

export const WizardContext = createContext<WizardApi | null>(null);

export function useWizard(): WizardApi {
  const api = useContext(WizardContext);
  if (!api) throw new Error("useWizard must be used inside the setup wizard");
  return api;
}
