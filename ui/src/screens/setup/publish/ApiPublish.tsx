// Publishing from the window: an honest confirmation (what goes live, and that a tenant admin may
// have to approve, which cannot be known in advance), the changelog pre-filled from the plan (in
// the window's language),
// then the version's state followed until it settles.
import { useCallback, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../../api/commands";
import { ActionError } from "../../../components/ActionError";
import { BusyButton } from "../../../components/BusyButton";
import { useCommand, useLoad } from "../../../lib/useCommand";
import { useWizard } from "../WizardContext";
import "./publish.css";
import { changelogFrom } from "./changelog";
import { useVersionState } from "./useVersionState";
import { VersionStatus } from "./VersionStatus";

export function ApiPublish() {
  const { profile } = useWizard();
  return profile ? <PublishFor name={profile.name} /> : null;
}

function PublishFor({ name }: { name: string }) {
  const { t } = useTranslation();
  const changelogId = useId();
  const hintId = useId();
  const loaded = useLoad(
    useCallback(() => commands.setupPlan(name), [name]),
    { inline: true },
  );
  /** What the admin typed; null keeps the pre-filled changelog. */
  const [typed, setTyped] = useState<string | null>(null);
  const publishing = useCommand(commands.setupPublish, { inline: true });
  const { report, error: pollError } = useVersionState(name, publishing.data);
  const changelog = typed ?? (loaded.data ? changelogFrom(loaded.data, t) : "");
  const waiting = report?.state === "underReview";

  return (
    <section className="publish-api" aria-labelledby="publish-api-title" data-testid="publish-api">
      <h3 id="publish-api-title">{t("setup.publish.api.title")}</h3>
      <div className="publish-api__confirm" data-testid="publish-confirm">
        <p>{t("setup.publish.api.what")}</p>
        <p>
          <strong>{t("setup.publish.api.approvalTitle")}</strong> {t("setup.publish.api.approval")}
        </p>
      </div>
      <div className="field">
        <label htmlFor={changelogId}>{t("setup.publish.api.changelog")}</label>
        <textarea
          id={changelogId}
          className="input publish-api__changelog"
          data-testid="publish-changelog"
          rows={Math.min(8, Math.max(3, changelog.split("\n").length))}
          value={changelog}
          placeholder={loaded.busy ? t("common.loading") : undefined}
          aria-describedby={hintId}
          onChange={(e) => setTyped(e.target.value)}
        />
        <p id={hintId} className="field__hint">
          {t("setup.publish.api.changelogHint")}
        </p>
        <ActionError error={loaded.error} testId="publish-changelog-error" />
      </div>
      <div className="actions">
        <BusyButton
          testId="publish-run"
          busy={publishing.busy}
          busyLabel={t("setup.publish.api.publishing")}
          disabled={waiting || loaded.busy}
          onClick={() => void publishing.run(name, changelog.trim() ? changelog : undefined)}
        >
          {t("setup.publish.api.publish")}
        </BusyButton>
        <ActionError error={publishing.error} testId="publish-error" />
      </div>
      {report && <VersionStatus report={report} error={pollError} />}
    </section>
  );
}
