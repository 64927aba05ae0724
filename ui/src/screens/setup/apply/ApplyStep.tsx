// Step 4: the app's settings made by API. The plan read from the platform (each setting now →
// wanted), one Apply for all of it, then the plan read back, which should have nothing left.
// Apps the API may not change are sent to the manual steps, saying why.
import { useCallback, useEffect } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../../api/commands";
import type { ProfileSummary } from "../../../bindings/ProfileSummary";
import { ActionError } from "../../../components/ActionError";
import { BusyButton, Spinner } from "../../../components/BusyButton";
import { useCommand, useLoad } from "../../../lib/useCommand";
import { StepFrame } from "../StepFrame";
import { useWizard } from "../WizardContext";
import { ApplyResult } from "./ApplyResult";
import "./apply.css";
import { PlanList } from "./PlanList";
import { PlanNotices, PlanUnreadable } from "./PlanNotices";
import { isDone, isOutOfReach, willChange } from "./planWords";

export function ApplyStep() {
  const { profile } = useWizard();
  if (!profile) return <StepFrame step="apply">{null}</StepFrame>;
  return <ApplyFor profile={profile} />;
}

function ApplyFor({ profile }: { profile: ProfileSummary }) {
  const { t } = useTranslation();
  const { markStep, statuses, profileChanged } = useWizard();
  const name = profile.name;
  const loaded = useLoad(
    useCallback(() => commands.setupPlan(name), [name]),
    { inline: true },
  );
  const applying = useCommand(commands.setupApply, { inline: true });
  // Keys made or copied into the keychain change what the profile holds (the integration form's Copy).
  const refreshing = useCommand(commands.getProfile);
  const report = applying.data;
  // The plan read back by the last Apply is newer than the one loaded before it.
  const plan = report && !loaded.busy ? report.plan : loaded.data;
  const changes = plan ? plan.items.filter(willChange).length : 0;
  const done = plan ? isDone(plan) : false;
  // Done passes the step; open changes fail it once Apply ran (or when it had passed before),
  // not on a first look at a new app.
  const status = !plan ? null : done ? "pass" : report || statuses.apply === "pass" ? "fail" : null;

  useEffect(() => {
    if (status && statuses.apply !== status) markStep("apply", status);
  }, [status, statuses.apply, markStep]);

  async function apply() {
    const result = await applying.run(name);
    if (result.status !== "done" || !(result.value.generatedKeys || result.value.storedAppKeys)) return;
    const fresh = await refreshing.run(name);
    if (fresh.status === "done") profileChanged(fresh.value);
  }

  async function readAgain() {
    applying.reset();
    await loaded.reload();
  }

  return (
    <StepFrame step="apply" next={done ? "publish" : undefined}>
      {loaded.busy && !plan && (
        <p className="muted loading-line" data-testid="plan-loading">
          <Spinner /> {t("setup.apply.reading")}
        </p>
      )}
      {loaded.error && !plan && <PlanUnreadable error={loaded.error} />}
      {plan && <PlanNotices plan={plan} />}
      {report && <ApplyResult report={report} />}
      {plan && <PlanList plan={plan} />}
      <div className="actions">
        <BusyButton
          testId="apply-run"
          busy={applying.busy}
          busyLabel={t("setup.apply.applying")}
          disabled={changes === 0 || loaded.busy}
          onClick={() => void apply()}
        >
          {t("setup.apply.apply", { count: changes })}
        </BusyButton>
        <BusyButton testId="plan-reload" secondary busy={loaded.busy && plan !== undefined} busyLabel={t("setup.apply.reading")} disabled={applying.busy} onClick={() => void readAgain()}>
          {t("setup.apply.readAgain")}
        </BusyButton>
        <ActionError error={applying.error} testId="apply-error" />
      </div>
      {plan && !done && !isOutOfReach(plan) && <p className="muted">{t("setup.apply.manualNote")}</p>}
    </StepFrame>
  );
}
