// The alert the card shows: typed into a form, or imported from a pasted payload (with the field
// mapping, editable through the form).
import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Alert } from "../../bindings/Alert";
import type { PayloadImport } from "../../bindings/PayloadImport";
import { AlertForm } from "./AlertForm";
import { PayloadImporter } from "./PayloadImporter";

type Tab = "form" | "payload";
const TABS: readonly Tab[] = ["form", "payload"];

interface AlertPanelProps {
  formKey: number;
  alerts: readonly Alert[];
  current: number;
  imported: PayloadImport | null;
  onChange: (alert: Alert) => void;
  onChoose: (index: number) => void;
  onImported: (result: PayloadImport) => void;
  onReset: () => void;
}

export function AlertPanel({ formKey, alerts, current, imported, onChange, onChoose, onImported, onReset }: AlertPanelProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("form");
  const id = useId();
  const alert = alerts[current];

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + 1) % TABS.length] as Tab;
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="alert-panel">
      <h2 id={`${id}-title`} className="panel__title">
        {t("cards.alert.title")}
      </h2>
      <div className="cards-tabs" role="tablist" aria-label={t("cards.alert.title")}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`${id}-tab-${name}`}
            type="button"
            role="tab"
            className="cards-tab"
            data-testid={`alert-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={onTabKey}
          >
            {name === "form" ? t("cards.alert.tabForm") : t("cards.alert.tabPayload")}
          </button>
        ))}
      </div>
      <div id={`${id}-panel-form`} role="tabpanel" aria-labelledby={`${id}-tab-form`} hidden={tab !== "form"}>
        {alerts.length > 1 && (
          <div className="field field--inline" style={{ marginBottom: 10 }}>
            <label htmlFor={`${id}-which`}>{t("cards.alert.which")}</label>
            <select id={`${id}-which`} data-testid="alert-select" value={current} onChange={(e) => onChoose(Number(e.target.value))}>
              {alerts.map((a, index) => (
                <option key={index} value={index}>
                  {t("cards.alert.whichOption", { n: index + 1, total: alerts.length, title: a.title })}
                </option>
              ))}
            </select>
          </div>
        )}
        {alert && <AlertForm key={formKey} alert={alert} onChange={onChange} />}
        <div className="actions">
          <button type="button" className="button button--secondary" data-testid="alert-reset" onClick={onReset}>
            {t("cards.alert.reset")}
          </button>
        </div>
      </div>
      <div id={`${id}-panel-payload`} role="tabpanel" aria-labelledby={`${id}-tab-payload`} hidden={tab !== "payload"}>
        <PayloadImporter
          imported={imported}
          alerts={alerts}
          current={current}
          onImported={onImported}
          onEdit={() => setTab("form")}
        />
      </div>
    </section>
  );
}
