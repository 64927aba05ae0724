// Step 1: two ways to start. "Create a new app for me": a scan with the Feishu/Lark app (or the
// link opened here) creates the app and its profile. "Use an app I already made": Feishu or Lark,
// the profile's name, and the console to create the custom app by hand.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { platformLabel } from "../../profiles/platformLabel";
import { PlatformFields, useDraftCheck, type DraftCheck } from "./PlatformFields";
import { ScanStart } from "./scan/ScanStart";
import { cancelLiveScan, DEFAULT_APP_NAME, freeName, liveScan } from "./scan/scanSession";
import { StepFrame } from "./StepFrame";
import { appListUrl } from "./steps";
import { useWizard } from "./WizardContext";

type StartWay = "scan" | "manual";

export function PlatformStep() {
  const { t } = useTranslation();
  const { profile, draft, setDraft, existingNames } = useWizard();
  const [way, setWay] = useState<StartWay>(() => (!profile && liveScan() ? "scan" : "manual"));
  /** Why the scan could not be used, once it sent the admin to the manual way. */
  const [fellBack, setFellBack] = useState<string | null>(null);
  /** A scan confirmed here: its result stays on screen after the profile exists. */
  const [scanned, setScanned] = useState(false);
  const check = useDraftCheck();
  const scan = way === "scan" && (!profile || scanned);

  const choose = (next: StartWay) => {
    if (next === "manual") cancelLiveScan();
    // The new app's name makes a good profile name: pre-filled, editable.
    if (next === "scan" && !draft.name.trim()) setDraft({ ...draft, name: freeName(DEFAULT_APP_NAME, existingNames) });
    setFellBack(null);
    setWay(next);
  };

  return (
    <StepFrame
      step="platform"
      beforeNext={scan ? undefined : check.validate}
      next={scan ? "integration" : undefined}
      nextBlocked={scan && !profile ? t("setup.scan.nextBlocked") : undefined}
    >
      {!profile && <WayChoice way={way} onChange={choose} />}
      {scan ? (
        <ScanStart
          check={check}
          onConfirmed={() => setScanned(true)}
          onUnsupported={(reason) => {
            setWay("manual");
            setFellBack(reason);
          }}
        />
      ) : (
        <ManualStart check={check} fellBack={fellBack} />
      )}
    </StepFrame>
  );
}

function WayChoice({ way, onChange }: { way: StartWay; onChange: (way: StartWay) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field-group start-ways" data-testid="start-ways">
      <legend>{t("setup.start.legend")}</legend>
      {(["scan", "manual"] as const).map((kind) => (
        <label key={kind} className="radio start-way">
          <input type="radio" name="start-way" value={kind} data-testid={`start-way-${kind}`} checked={way === kind} onChange={() => onChange(kind)} />
          <span className="start-way__text">
            {t(`setup.start.${kind}`)}
            <span className="muted start-way__hint">{t(`setup.start.${kind}Hint`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Today's way: the platform and name, then the app made by hand in the console. */
function ManualStart({ check, fellBack }: { check: DraftCheck; fellBack: string | null }) {
  const { t } = useTranslation();
  const { profile, draft, guide } = useWizard();
  const appList = profile ? guide?.links.appList : appListUrl(draft.platform, draft.baseUrl);
  return (
    <>
      {fellBack && (
        <div className="notice notice--warning" role="status" data-testid="start-fell-back">
          <p>{t("setup.start.fellBack")}</p>
          <p className="muted">{fellBack}</p>
        </div>
      )}
      {profile ? (
        <dl className="facts" data-testid="platform-saved">
          <dt>{t("setup.platform.platform")}</dt>
          <dd data-testid="platform-saved-platform">{platformLabel(profile.platform, t)}</dd>
          <dt>{t("setup.platform.name")}</dt>
          <dd data-testid="platform-saved-name">{profile.name}</dd>
        </dl>
      ) : (
        <PlatformFields check={check} />
      )}
      {profile && <p className="muted">{t("setup.platform.savedNote")}</p>}
      <div className="instructions">
        <h3>{t("setup.platform.createTitle")}</h3>
        <ol>
          <li>{t("setup.platform.create1")}</li>
          <li>{t("setup.platform.create2")}</li>
          <li>{t("setup.platform.create3")}</li>
        </ol>
        {appList && <ConsoleLinkButton link={appList} testId="open-developer-console" label={t("setup.platform.openConsole")} primary />}
      </div>
    </>
  );
}
