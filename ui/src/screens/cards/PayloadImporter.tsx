// "Paste payload": an Alertmanager or Grafana webhook body, or generic alert JSON, read into
// alerts by the Rust side; the mapping says where each field came from and whether the form has
// changed it since.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { Alert } from "../../bindings/Alert";
import type { PayloadImport } from "../../bindings/PayloadImport";
import { BusyButton } from "../../components/BusyButton";
import { useCommand } from "../../lib/useCommand";
import { currentValue, editedSinceImport } from "./alertDraft";
import { SAMPLE_PAYLOADS, type SamplePayload } from "./samples";

interface PayloadImporterProps {
  imported: PayloadImport | null;
  alerts: readonly Alert[];
  current: number;
  onImported: (result: PayloadImport) => void;
  onEdit: () => void;
}

export function PayloadImporter({ imported, alerts, current, onImported, onEdit }: PayloadImporterProps) {
  const { t } = useTranslation();
  const [body, setBody] = useState("");
  const importing = useCommand(commands.importAlertPayload);
  const id = useId();
  const mapping = imported?.alerts[current]?.mapping ?? [];
  const alert = alerts[current];

  async function run(text: string) {
    const result = await importing.run(text);
    if (result.status === "done") onImported(result.value);
  }

  const example = (name: SamplePayload) => {
    setBody(SAMPLE_PAYLOADS[name]);
  };

  return (
    <div className="cards-payload form-stack">
      <div className="field">
        <label htmlFor={`${id}-body`}>{t("cards.payload.label")}</label>
        <textarea
          id={`${id}-body`}
          data-testid="payload-text"
          value={body}
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setBody(e.target.value)}
        />
        <span className="field__hint" id={`${id}-hint`}>
          {t("cards.payload.hint")}
        </span>
      </div>
      <div className="cards-row">
        <BusyButton testId="payload-import" busy={importing.busy} busyLabel={t("cards.payload.importing")} disabled={!body.trim()} onClick={() => void run(body)}>
          {t("cards.payload.import")}
        </BusyButton>
        <span className="muted">{t("cards.payload.example")}</span>
        <button type="button" className="button button--secondary button--small" data-testid="payload-example-alertmanager" onClick={() => example("alertmanager")}>
          {t("cards.payload.exampleAlertmanager")}
        </button>
        <button type="button" className="button button--secondary button--small" data-testid="payload-example-grafana" onClick={() => example("grafana")}>
          {t("cards.payload.exampleGrafana")}
        </button>
      </div>
      {imported && alert && (
        <div data-testid="payload-result">
          <p role="status" data-testid="payload-format" data-format={imported.format}>
            {t("cards.payload.format", { format: t(`cards.payload.formats.${imported.format}`), count: imported.alerts.length })}
          </p>
          {imported.alerts.length > 1 && <p className="muted">{t("cards.payload.digestNote", { count: imported.alerts.length })}</p>}
          <h3 className="panel__title" style={{ marginTop: 10 }}>
            {t("cards.payload.mappingTitle")}
          </h3>
          <table className="cards-mapping" data-testid="payload-mapping">
            <thead>
              <tr>
                <th scope="col">{t("cards.payload.field")}</th>
                <th scope="col">{t("cards.payload.source")}</th>
                <th scope="col">{t("cards.payload.value")}</th>
              </tr>
            </thead>
            <tbody>
              {mapping.map((row) => {
                const edited = editedSinceImport(alert, row);
                return (
                  <tr key={row.field} data-testid={`mapping-${row.field}`} data-edited={edited ? "true" : "false"}>
                    <td>
                      <code>{row.field}</code>
                    </td>
                    <td>{row.sourcePath ? <code data-testid={`mapping-source-${row.field}`}>{row.sourcePath}</code> : <span className="muted">{t("cards.payload.default")}</span>}</td>
                    <td>
                      <span data-testid={`mapping-value-${row.field}`}>{currentValue(alert, row.field)}</span>
                      {edited && <span className="badge" style={{ marginLeft: 6 }}>{t("cards.payload.edited")}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" className="button button--secondary" data-testid="payload-edit" onClick={onEdit}>
              {t("cards.payload.editInForm")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
