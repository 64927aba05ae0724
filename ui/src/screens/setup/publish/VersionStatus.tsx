// Where a published version stands, in words: waiting for a tenant admin (what to tell them, and
// the console page), online, rejected (with the reviewer's note when the platform gives it).
import { useTranslation } from "react-i18next";
import type { CommandError } from "../../../api/invoke";
import type { PublishReport } from "../../../bindings/PublishReport";
import { ActionError } from "../../../components/ActionError";
import { Spinner } from "../../../components/BusyButton";
import { ConsoleLinkButton } from "../../../components/ConsoleLinkButton";
import { useWizard } from "../WizardContext";

const TONE: Record<PublishReport["state"], string> = {
  online: "notice--success",
  underReview: "notice--warning",
  rejected: "notice--danger",
  notSubmitted: "notice--warning",
  unknown: "notice--warning",
};

export function VersionStatus({ report, error }: { report: PublishReport; error: CommandError | null }) {
  const { t } = useTranslation();
  const { guide, profile } = useWizard();
  const version = report.version ?? report.versionId;
  const state = report.state;
  return (
    <div className={`notice ${TONE[state]} version-status`} data-testid="publish-state" data-state={state}>
      <p role="status">
        {state === "underReview" && <Spinner />} <strong>{t(`setup.publish.api.state.${state}`, { version })}</strong>
      </p>
      <p>{t(`setup.publish.api.stateText.${state}`, { version, app: profile?.appId ?? "" })}</p>
      {state === "rejected" && report.note && (
        <p data-testid="publish-note">
          {t("setup.publish.api.note")} <q>{report.note}</q>
        </p>
      )}
      {state !== "online" && guide && <ConsoleLinkButton link={guide.links.versions} testId="publish-state-open-versions" label={t("setup.links.versions")} />}
      <ActionError error={error} testId="publish-poll-error" />
    </div>
  );
}
