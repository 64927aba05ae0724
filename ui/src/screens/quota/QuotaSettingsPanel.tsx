// The tenant's cap (or unlimited), its time zone, and the baseline read in the admin console.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { QuotaSettings } from "../../bindings/QuotaSettings";
import { BusyButton } from "../../components/BusyButton";
import { useCommand } from "../../lib/useCommand";

const ZONES = ["Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Asia/Hong_Kong", "Europe/London", "America/Los_Angeles", "UTC"];

/** `YYYY-MM-DDTHH:mm` in local time, for `<input type="datetime-local">`. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

interface Props {
  profile: string;
  settings: QuotaSettings;
  /** Called after a save so the report is read again. */
  onSaved: () => void;
}

export function QuotaSettingsPanel({ profile, settings, onSaved }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [unlimited, setUnlimited] = useState(settings.cap === null);
  const [cap, setCap] = useState(settings.cap === null ? "10000" : String(settings.cap));
  const [zone, setZone] = useState(settings.timeZone);
  const [baseline, setBaseline] = useState(settings.baseline ? String(settings.baseline.calls) : "");
  const [baselineAt, setBaselineAt] = useState(() =>
    localInputValue(settings.baseline ? new Date(settings.baseline.at) : new Date()),
  );
  const saving = useCommand(commands.saveQuotaSettings);
  const savingBaseline = useCommand(commands.setQuotaBaseline);
  const [saved, setSaved] = useState<string | null>(null);

  const capNumber = Number(cap.replace(/[,_\s]/g, ""));
  const capValid = unlimited || (cap.trim() !== "" && Number.isInteger(capNumber) && capNumber >= 0);
  const baselineNumber = Number(baseline.replace(/[,_\s]/g, ""));
  const baselineValid = baseline.trim() !== "" && Number.isInteger(baselineNumber) && baselineNumber >= 0;
  const atDate = new Date(baselineAt);
  const atValid = !Number.isNaN(atDate.getTime());

  async function save() {
    if (!capValid) return;
    setSaved(null);
    const result = await saving.run(profile, { ...settings, cap: unlimited ? null : capNumber, timeZone: zone.trim() });
    if (result.status !== "done") return;
    setSaved(t("quota.settings.saved"));
    onSaved();
  }

  async function saveBaseline() {
    if (!baselineValid || !atValid) return;
    setSaved(null);
    const result = await savingBaseline.run(profile, baselineNumber, atDate.toISOString());
    if (result.status !== "done") return;
    setSaved(t("quota.settings.baselineSaved"));
    onSaved();
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="quota-settings">
      <h2 id={`${id}-title`} className="panel__title">
        {t("quota.settings.title")}
      </h2>
      <form
        className="quota-settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-cap`}>{t("quota.settings.cap")}</label>
          <div className="quota-settings__row">
            <input
              id={`${id}-cap`}
              className="input"
              inputMode="numeric"
              data-testid="quota-cap-input"
              value={cap}
              disabled={unlimited}
              aria-invalid={!capValid}
              onChange={(e) => setCap(e.target.value)}
            />
            <label className="radio">
              <input
                type="checkbox"
                data-testid="quota-unlimited"
                checked={unlimited}
                onChange={(e) => setUnlimited(e.target.checked)}
              />{" "}
              {t("quota.settings.unlimited")}
            </label>
          </div>
          <span className="field__hint">{t("quota.settings.capHint")}</span>
          {!capValid && <span className="field__error">{t("quota.settings.capInvalid")}</span>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>{t("quota.settings.timeZone")}</label>
          <input
            id={`${id}-zone`}
            className="input"
            list={`${id}-zones`}
            data-testid="quota-zone-input"
            value={zone}
            onChange={(e) => setZone(e.target.value)}
          />
          <datalist id={`${id}-zones`}>
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <span className="field__hint">{t("quota.settings.timeZoneHint")}</span>
        </div>
        <div className="actions">
          <BusyButton
            type="submit"
            busy={saving.busy}
            busyLabel={t("quota.settings.saving")}
            testId="quota-save-settings"
            disabled={!capValid || zone.trim() === ""}
            onClick={() => void save()}
          >
            {t("quota.settings.save")}
          </BusyButton>
        </div>
      </form>
      <form
        className="quota-settings"
        onSubmit={(e) => {
          e.preventDefault();
          void saveBaseline();
        }}
      >
        <h3 className="quota-settings__subtitle">{t("quota.settings.baselineTitle")}</h3>
        <p className="field__hint">{t("quota.settings.baselineHint")}</p>
        <div className="quota-settings__row">
          <div className="field">
            <label htmlFor={`${id}-baseline`}>{t("quota.settings.baselineCalls")}</label>
            <input
              id={`${id}-baseline`}
              className="input"
              inputMode="numeric"
              data-testid="quota-baseline-input"
              value={baseline}
              onChange={(e) => setBaseline(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-baseline-at`}>{t("quota.settings.baselineAt")}</label>
            <input
              id={`${id}-baseline-at`}
              className="input"
              type="datetime-local"
              data-testid="quota-baseline-at"
              value={baselineAt}
              onChange={(e) => setBaselineAt(e.target.value)}
            />
          </div>
        </div>
        <div className="actions">
          <BusyButton
            type="submit"
            secondary
            busy={savingBaseline.busy}
            busyLabel={t("quota.settings.saving")}
            testId="quota-save-baseline"
            disabled={!baselineValid || !atValid}
            onClick={() => void saveBaseline()}
          >
            {t("quota.settings.saveBaseline")}
          </BusyButton>
        </div>
      </form>
      {saved && (
        <p className="saved-note" role="status" data-testid="quota-settings-saved">
          {saved}
        </p>
      )}
    </section>
  );
}
