// Settings > Network: the proxy for every call to Feishu/Lark (http:// or https://), or
// empty for the system's. A refused URL is shown under the field.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { BusyButton } from "../../components/BusyButton";
import { CleanInput } from "../../components/CleanInput";
import { problemMessage } from "../../errors/problemText";
import { useCommand } from "../../lib/useCommand";
import { useSettings } from "../../settings/SettingsContext";

export function ProxyPanel() {
  const { t } = useTranslation();
  const { settings, saveProxy } = useSettings();
  const saving = useCommand(saveProxy, { fields: ["proxy"] });
  const id = useId();
  /** What the admin typed; null while the field shows the stored value. */
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState<"saved" | "savedSystem" | null>(null);
  const value = draft ?? settings.proxy ?? "";

  async function save(event: FormEvent) {
    event.preventDefault();
    const proxy = value.trim() || null;
    setSaved(null);
    // A refused URL goes under the field (saving.fieldError), anything else to the banner.
    const result = await saving.run(proxy);
    if (result.status !== "done") return;
    setDraft(null);
    setSaved(proxy ? "saved" : "savedSystem");
  }

  const error = saving.fieldError ? problemMessage(t, saving.fieldError.problem) : null;

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="proxy-panel">
      <h2 id={`${id}-title`} className="panel__title">
        {t("settings.proxy.title")}
      </h2>
      <form className="form-stack" onSubmit={(event) => void save(event)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-input`}>{t("settings.proxy.label")}</label>
          <div className="actions">
            <CleanInput
              id={`${id}-input`}
              testId="proxy-input"
              className="input input--mono proxy-input"
              value={value}
              placeholder={t("settings.proxy.placeholder")}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
              onValueChange={(next) => {
                setDraft(next);
                setSaved(null);
                if (saving.fieldError) saving.reset();
              }}
            />
            <BusyButton type="submit" testId="proxy-save" busy={saving.busy} busyLabel={t("common.saving")} onClick={() => undefined}>
              {t("settings.proxy.save")}
            </BusyButton>
            {saved && (
              <span className="saved-note" role="status" data-testid="proxy-saved">
                {t(`settings.proxy.${saved}`)}
              </span>
            )}
          </div>
          {error && (
            <p id={`${id}-error`} className="field__error" data-testid="proxy-error">
              {error}
            </p>
          )}
          <p id={`${id}-hint`} className="field__hint">
            {t("settings.proxy.hint")}
          </p>
        </div>
      </form>
    </section>
  );
}
