// The alert's fields as a form. It keeps the typed text itself (labels, links and assignees are
// text until they parse) and reports the alert on every change; it starts afresh (a new `key`)
// when the alert is replaced from outside.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Alert } from "../../bindings/Alert";
import type { AlertSeverity } from "../../bindings/AlertSeverity";
import type { AlertStatus } from "../../bindings/AlertStatus";
import { fromDraft, SEVERITIES, STATUSES, toDraft, validStartedAt, type AlertDraft } from "./alertDraft";

interface AlertFormProps {
  alert: Alert;
  onChange: (alert: Alert) => void;
}

type TextField = Exclude<keyof AlertDraft, "severity" | "status">;

export function AlertForm({ alert, onChange }: AlertFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<AlertDraft>(() => toDraft(alert));
  const timeValid = validStartedAt(draft.startedAt);

  function update(next: AlertDraft) {
    setDraft(next);
    if (validStartedAt(next.startedAt)) onChange(fromDraft(next));
  }

  const field = (name: TextField, testId: string, options: { multiline?: boolean; wide?: boolean; hint?: string; placeholder?: string } = {}) => {
    const inputId = `${id}-${name}`;
    const hintId = options.hint ? `${inputId}-hint` : undefined;
    const invalid = name === "startedAt" && !timeValid;
    const common = {
      id: inputId,
      "data-testid": testId,
      value: draft[name],
      placeholder: options.placeholder,
      "aria-describedby": invalid ? `${inputId}-error` : hintId,
      "aria-invalid": invalid || undefined,
      onChange: (e: { target: { value: string } }) => update({ ...draft, [name]: e.target.value }),
    };
    return (
      <div className={options.wide ? "field field--wide" : "field"}>
        <label htmlFor={inputId}>{t(`cards.alert.fields.${name}`)}</label>
        {options.multiline ? <textarea {...common} rows={3} spellCheck={false} /> : <input {...common} className="input" spellCheck={false} />}
        {invalid ? (
          <span className="field__error" id={`${inputId}-error`} data-testid={`${testId}-error`}>
            {t("cards.alert.fields.startedAtError")}
          </span>
        ) : (
          options.hint && (
            <span className="field__hint" id={hintId}>
              {options.hint}
            </span>
          )
        )}
      </div>
    );
  };

  return (
    <div className="cards-form" data-testid="alert-form">
      {field("title", "alert-title", { wide: true })}
      <div className="field">
        <label htmlFor={`${id}-severity`}>{t("cards.alert.fields.severity")}</label>
        <select
          id={`${id}-severity`}
          data-testid="alert-severity"
          value={draft.severity}
          onChange={(e) => update({ ...draft, severity: e.target.value as AlertSeverity })}
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`cards.alert.severity.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>{t("cards.alert.fields.status")}</label>
        <select
          id={`${id}-status`}
          data-testid="alert-status"
          value={draft.status}
          onChange={(e) => update({ ...draft, status: e.target.value as AlertStatus })}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`cards.alert.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {field("description", "alert-description", { multiline: true, wide: true })}
      {field("labels", "alert-labels", { multiline: true, hint: t("cards.alert.fields.labelsHint") })}
      {field("links", "alert-links", { multiline: true, hint: t("cards.alert.fields.linksHint") })}
      {field("startedAt", "alert-started-at", { hint: t("cards.alert.fields.startedAtHint") })}
      {field("assignees", "alert-assignees", { hint: t("cards.alert.fields.assigneesHint") })}
      {field("incidentId", "alert-incident-id", { hint: t("cards.alert.fields.incidentIdHint") })}
      {field("incidentUrl", "alert-incident-url", { hint: t("cards.alert.fields.incidentUrlHint"), placeholder: "https://…" })}
    </div>
  );
}
