// What a screen that works on one profile shows before it has one: a spinner while the list
// loads, or the way to Setup when there is no profile yet.
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { Spinner } from "./BusyButton";
import { SandboxBanner } from "./SandboxBanner";

interface NoProfileYetProps {
  /** `null` while loading. */
  profiles: ProfileSummary[] | null;
  sandbox: SandboxStatus;
  /** Prefix of the test ids and of the `noProfiles` / `openSetup` translation keys. */
  screen: "doctor" | "quota";
}

/** The placeholder, or `null` once there is a profile to show. */
export function NoProfileYet({ profiles, sandbox, screen }: NoProfileYetProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (profiles === null) {
    return (
      <p className="panel muted loading-line" data-testid={`${screen}-loading`}>
        <Spinner /> {t("common.loading")}
      </p>
    );
  }
  if (profiles.length > 0) return null;
  return (
    <>
      <SandboxBanner sandbox={sandbox} />
      <div className="panel empty-state" data-testid={`${screen}-no-profiles`}>
        <p>{t(`${screen}.noProfiles`)}</p>
        <button type="button" className="button" data-testid={`${screen}-open-setup`} onClick={() => void navigate("/setup")}>
          {t(`${screen}.openSetup`)}
        </button>
      </div>
    </>
  );
}
