// The second fix for a scope the app may not add itself: confirm the app again by scan. The core
// asks the platform for this app by its ID, so the scan grants what the integration needs
// without creating anything; once confirmed, "Read again" shows the new plan.
import { useTranslation } from "react-i18next";
import type { Platform } from "../../../bindings/Platform";
import { ActionError } from "../../../components/ActionError";
import { BusyButton } from "../../../components/BusyButton";
import { ScanWaiting } from "../scan/ScanWaiting";
import { DEFAULT_APP_NAME, phaseOf } from "../scan/scanSession";
import { useScan } from "../scan/useScan";

interface RescanProps {
  profileName: string;
  platform: Platform;
  testId: string;
}

export function Rescan({ profileName, platform, testId }: RescanProps) {
  const { t } = useTranslation();
  const { session, start, cancel, starting } = useScan(() => undefined);
  const inputs = { platform, profileName, appName: DEFAULT_APP_NAME, reconfirm: true };
  const ours = session?.inputs.reconfirm === true && session.inputs.profileName === profileName;
  if (ours && session && phaseOf(session) === "confirmed") {
    return <p className="plan-fix__done" data-testid={`${testId}-rescanned`}>{t("setup.apply.blocker.rescanned")}</p>;
  }
  if (ours && session) {
    return <ScanWaiting session={session} onCancel={cancel} onRetry={() => void start(inputs)} retrying={starting.busy} error={starting.error} />;
  }
  return (
    <>
      <BusyButton
        secondary
        busy={starting.busy}
        busyLabel={t("setup.apply.blocker.rescanStarting")}
        testId={`${testId}-rescan`}
        onClick={() => void start(inputs)}
      >
        {t("setup.apply.blocker.rescanButton")}
      </BusyButton>
      <ActionError error={starting.error} testId={`${testId}-rescan-error`} />
    </>
  );
}
