// The signature lab: paste a raw request (headers and body) and see which scheme it uses, which
// secret matches, what the decrypted body says, the clock skew, and which secret is probably in
// the wrong field. Mounted with `key={preset.serial}`, so loading a request starts afresh.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { LabReport } from "../../bindings/LabReport";
import { BusyButton } from "../../components/BusyButton";
import { useCommand } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { prettyJson } from "./format";
import { labDecryptErrorText, labFindingText, labSummaryText } from "./labText";
import { ResignPanel } from "./ResignPanel";

export interface LabPreset {
  headers: string;
  body: string;
  /** Bumped on each use so the same request can be loaded twice. */
  serial: number;
}

interface SignatureLabProps {
  profile: string;
  preset: LabPreset | null;
  /** The relay is running (re-signing sends through it). */
  running: boolean;
  /** The running relay's upstream, where a re-signed body goes when no URL is typed. */
  upstream: string | null;
}

export function SignatureLab({ profile, preset, running, upstream }: SignatureLabProps) {
  const { t } = useTranslation();
  const id = useId();
  const [headers, setHeaders] = useState(preset?.headers ?? "");
  const [body, setBody] = useState(preset?.body ?? "");
  const analyzing = useCommand(commands.relayLab, { inline: true });
  const report = analyzing.data ?? null;
  const analyze = () => analyzing.run(profile, { headers, body });

  return (
    <section className="panel relay-lab" aria-labelledby={`${id}-title`} data-testid="relay-lab">
      <h2 id={`${id}-title`} className="panel__title">
        {t("relay.lab.title")}
      </h2>
      <p className="field__hint">{t("relay.lab.intro", { profile })}</p>
      <div className="relay-lab__inputs">
        <div className="field">
          <label htmlFor={`${id}-headers`}>{t("relay.lab.headers")}</label>
          <textarea
            id={`${id}-headers`}
            className="input input--mono relay-textarea"
            data-testid="relay-lab-headers"
            rows={6}
            spellCheck={false}
            placeholder={"X-Lark-Request-Timestamp: 1700000000\nX-Lark-Request-Nonce: …\nX-Lark-Signature: …"}
            value={headers}
            onChange={(e) => setHeaders(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-body`}>{t("relay.lab.body")}</label>
          <textarea
            id={`${id}-body`}
            className="input input--mono relay-textarea"
            data-testid="relay-lab-body"
            rows={6}
            spellCheck={false}
            placeholder='{"encrypt":"…"}'
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          <span className="field__hint">{t("relay.lab.bodyHint")}</span>
        </div>
      </div>
      <div className="actions">
        <BusyButton busy={analyzing.busy} busyLabel={t("relay.lab.analyzing")} testId="relay-lab-analyze" disabled={!headers.trim() && !body.trim()} onClick={() => void analyze()}>
          {t("relay.lab.analyze")}
        </BusyButton>
      </div>
      <ActionError error={analyzing.error} testId="relay-lab-error" summary={false} />
      {report && <LabVerdict report={report} />}
      {report?.decrypted != null && report.kind !== "unknown" && (
        <ResignPanel key={prettyJson(report.decrypted)} profile={profile} initialBody={prettyJson(report.decrypted)} running={running} upstream={upstream} />
      )}
    </section>
  );
}

function LabVerdict({ report }: { report: LabReport }) {
  const { t } = useTranslation();
  return (
    <div className={`relay-result relay-lab__report relay-lab__report--${report.valid ? "valid" : "invalid"}`} data-testid="relay-lab-report" data-valid={String(report.valid)}>
      <p role="status">
        <span className={`status-badge status-badge--${report.valid ? "pass" : "fail"}`} data-testid="relay-lab-valid">
          {report.valid ? t("relay.lab.valid") : t("relay.lab.invalid")}
        </span>{" "}
        <span data-testid="relay-lab-summary" data-code={report.summaryKey.code}>
          {labSummaryText(report, t)}
        </span>
      </p>
      {report.wrongField && (
        <p className="field__warning" role="alert" data-testid="relay-lab-wrong-field" data-field={report.wrongField}>
          {report.swapped ? t("relay.lab.swapped") : t("relay.lab.wrongField", { field: t(`relay.lab.fields.${report.wrongField}`) })}
        </p>
      )}
      <dl className="facts" data-testid="relay-lab-facts">
        <dt>{t("relay.inspector.kind")}</dt>
        <dd>{t(`relay.kind.${report.kind}`)}{report.eventType ? ` · ${report.eventType}` : ""}</dd>
        <dt>{t("relay.lab.scheme")}</dt>
        <dd data-testid="relay-lab-scheme">{report.expectedScheme ? t(`relay.lab.schemes.${report.expectedScheme}`) : t("relay.lab.noScheme")}</dd>
        <dt>{t("relay.lab.encrypted")}</dt>
        <dd>{report.encrypted ? t("relay.lab.yes") : t("relay.lab.no")}</dd>
        <dt>{t("relay.lab.token")}</dt>
        <dd data-testid="relay-lab-token">
          {report.tokenMatches === null ? t("relay.lab.tokenAbsent") : report.tokenMatches ? t("relay.lab.matches") : t("relay.lab.noMatch")}
        </dd>
        <dt>{t("relay.lab.skew")}</dt>
        <dd data-testid="relay-lab-skew" data-stale={String(report.stale)}>
          {report.clockSkewSecs === null
            ? "—"
            : t(report.stale ? "relay.lab.skewStale" : "relay.lab.skewValue", { seconds: report.clockSkewSecs })}
        </dd>
        {report.missingHeaders.length > 0 && (
          <>
            <dt>{t("relay.lab.missing")}</dt>
            <dd className="mono" data-testid="relay-lab-missing">{report.missingHeaders.join(", ")}</dd>
          </>
        )}
      </dl>
      {report.attempts.length > 0 && (
        <table className="value-table relay-lab__attempts" data-testid="relay-lab-attempts">
          <thead>
            <tr>
              <th scope="col">{t("relay.lab.scheme")}</th>
              <th scope="col">{t("relay.lab.secret")}</th>
              <th scope="col">{t("relay.lab.result")}</th>
            </tr>
          </thead>
          <tbody>
            {report.attempts.map((a) => (
              <tr key={`${a.scheme}-${a.secret}`} data-testid={`relay-lab-attempt-${a.scheme}-${a.secret}`} data-matches={String(a.matches)}>
                <td>
                  {t(`relay.lab.schemes.${a.scheme}`)}
                  {a.expected && <span className="badge relay-badge">{t("relay.lab.expected")}</span>}
                </td>
                <td>{t(`relay.lab.fields.${a.secret}`)}</td>
                <td className={a.matches ? "relay-verdict--accepted" : "relay-verdict--rejected"}>
                  {a.matches ? t("relay.lab.matches") : t("relay.lab.noMatch")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.findingKeys.length > 0 && (
        <ul className="relay-findings" data-testid="relay-lab-findings">
          {report.findingKeys.map((f, i) => (
            <li key={i} data-testid={`relay-lab-finding-${i}`} data-code={f.code}>
              {labFindingText(f, t)}
            </li>
          ))}
        </ul>
      )}
      {report.decryptError && (
        <p className="field__error" data-testid="relay-lab-decrypt-error" data-code={report.decryptError}>
          {labDecryptErrorText(report.decryptError, t)}
        </p>
      )}
      {report.decrypted !== null && (
        <>
          <h3 className="relay-drawer__subtitle">{t("relay.lab.decrypted")}</h3>
          <pre className="relay-code" data-testid="relay-lab-decrypted" tabIndex={0} role="region" aria-label={t("relay.lab.decrypted")}>
            {prettyJson(report.decrypted)}
          </pre>
        </>
      )}
    </div>
  );
}
