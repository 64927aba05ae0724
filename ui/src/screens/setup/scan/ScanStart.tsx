// "Create a new app for me": the platform, the profile's and the app's names (pre-filled,
// editable), then Start. The scan's link and QR code follow, then the new app's App ID and App
// Secret. A platform that cannot create apps by scan sends the admin to the manual way.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Platform } from "../../../bindings/Platform";
import { ActionError } from "../../../components/ActionError";
import { BusyButton } from "../../../components/BusyButton";
import { problemMessage } from "../../../errors/problemText";
import { PlatformFields, type DraftCheck } from "../PlatformFields";
import { useWizard, type Draft } from "../WizardContext";
import { ScanConfirmed } from "./ScanConfirmed";
import { ScanWaiting } from "./ScanWaiting";
import { DEFAULT_APP_NAME, isUnsupportedStart, phaseOf, type ScanInputs } from "./scanSession";
import "./scan.css";
import { useScan } from "./useScan";

interface ScanStartProps {
  check: DraftCheck;
  onConfirmed: () => void;
  /** The platform has no registration by scan; `reason` is the core's words. */
  onUnsupported: (reason: string) => void;
}

function platformOf(draft: Draft): Platform {
  return draft.platform === "custom" ? { kind: "custom", baseUrl: draft.baseUrl.trim() } : { kind: draft.platform };
}

export function ScanStart({ check, onConfirmed, onUnsupported }: ScanStartProps) {
  const { t } = useTranslation();
  const { profile, draft, profileCreated } = useWizard();
  const [appName, setAppName] = useState(DEFAULT_APP_NAME);
  const appNameId = useId();
  const { session, start, cancel, starting } = useScan((status) => {
    if (status.phase === "confirmed" && status.profile) {
      profileCreated(status.profile);
      onConfirmed();
    }
    if (status.phase === "unsupported") onUnsupported(status.message ?? t("setup.scan.unsupported"));
  });

  async function begin(inputs?: ScanInputs) {
    if (!inputs && !check.validate()) return;
    const request = inputs ?? { platform: platformOf(draft), profileName: draft.name.trim(), appName: appName.trim() };
    const result = await start(request);
    if (result.status === "failed" && isUnsupportedStart(result.error)) onUnsupported(result.error.params.detail ?? problemMessage(t, result.error));
  }

  const phase = session ? phaseOf(session) : null;
  if (session && phase === "confirmed" && profile) return <ScanConfirmed profile={profile} lark={session.status?.lark ?? false} />;
  if (session) {
    return <ScanWaiting session={session} onCancel={cancel} onRetry={() => void begin(session.inputs)} retrying={starting.busy} error={starting.error} />;
  }
  const refused = starting.fieldError;
  const nameRefused = refused?.field === "name" ? problemMessage(t, refused.problem) : null;
  const appNameRefused = refused?.field === "appName" ? problemMessage(t, refused.problem) : null;

  return (
    <div className="scan" data-testid="scan-start">
      <PlatformFields check={check} serverNameError={nameRefused} />
      <div className="field">
        <label htmlFor={appNameId}>{t("setup.scan.appName")}</label>
        <input
          id={appNameId}
          className="input"
          data-testid="scan-app-name"
          value={appName}
          maxLength={64}
          aria-invalid={appNameRefused !== null}
          onChange={(e) => setAppName(e.target.value)}
        />
        <p className={appNameRefused ? "field__error" : "field__hint"}>{appNameRefused ?? t("setup.scan.appNameHint")}</p>
      </div>
      <div className="actions">
        <BusyButton testId="scan-start-button" busy={starting.busy} busyLabel={t("setup.scan.starting")} disabled={!appName.trim()} onClick={() => void begin()}>
          {t("setup.scan.start")}
        </BusyButton>
        <span className="muted">{t("setup.scan.startHint")}</span>
      </div>
      <ActionError error={starting.error} testId="scan-start-error" />
    </div>
  );
}
