// Start/stop with the settings, and while running: the listening URL to copy into the console.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { ForwardMode } from "../../bindings/ForwardMode";
import type { RelayStatus } from "../../bindings/RelayStatus";
import { BusyButton } from "../../components/BusyButton";
import { CopyButton } from "../../components/CopyButton";
import { useErrors } from "../../errors/ErrorContext";
import { isLoopback } from "./format";
import { loadRelayForm, saveRelayForm } from "./relayForm";

interface RelayControlsProps {
  profile: string;
  status: RelayStatus | null;
  onStarted: (status: RelayStatus) => void;
  onStopped: () => void;
}

export function RelayControls({ profile, status, onStarted, onStopped }: RelayControlsProps) {
  const { t } = useTranslation();
  const { show } = useErrors();
  const id = useId();
  const [saved] = useState(loadRelayForm);
  const [port, setPort] = useState(saved.port);
  const [bind, setBind] = useState(saved.bind);
  const [upstream, setUpstream] = useState(saved.upstream);
  const [mode, setMode] = useState<ForwardMode>(saved.mode);
  const [budget, setBudget] = useState(saved.budget);
  const [skew, setSkew] = useState(saved.skew);
  const [retention, setRetention] = useState(saved.retention);
  const [busy, setBusy] = useState<"start" | "stop" | null>(null);

  const whole = (text: string, min: number, max: number) => {
    const n = Number(text);
    return text.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;
  };
  const portNumber = Number(port);
  const portValid = whole(port, 0, 65535);
  const budgetNumber = Number(budget);
  const budgetValid = whole(budget, 100, 2900);
  const skewValid = whole(skew, 10, 86400);
  const retentionValid = whole(retention, 100, 1000000);
  const formValid = portValid && budgetValid && skewValid && retentionValid;

  async function start() {
    setBusy("start");
    try {
      const started = await commands.relayStart(
        profile,
        {
          port: portNumber,
          listenAll: false,
          upstreamUrl: upstream.trim() || undefined,
          mode,
          cardBudgetMs: budgetNumber,
          maxSkewSecs: Number(skew),
          retention: Number(retention),
        },
        bind.trim() || undefined,
      );
      saveRelayForm({ port, bind, upstream, mode, budget, skew, retention });
      onStarted(started);
    } catch (error) {
      show(error);
    } finally {
      setBusy(null);
    }
  }

  async function stop() {
    setBusy("stop");
    try {
      await commands.relayStop();
      onStopped();
    } catch (error) {
      show(error);
    } finally {
      setBusy(null);
    }
  }

  if (status) {
    const served = status.urls[0];
    return (
      <div className="relay-running" data-testid="relay-running">
        <p className="relay-running__state">
          <span className="status-badge status-badge--pass" data-testid="relay-state">
            {t("relay.run.running")}
          </span>{" "}
          <span className="muted">{t("relay.run.listening", { address: status.listen })}</span>
        </p>
        {served && (
          <dl className="facts">
            <dt>{t("relay.run.url")}</dt>
            <dd className="relay-url-row">
              <code className="facts__value" data-testid="relay-url">
                {served.url}
              </code>
              <CopyButton value={served.url} testId="relay-url-copy" what={t("relay.run.url")} />
            </dd>
            <dt>{t("relay.run.upstream")}</dt>
            <dd data-testid="relay-upstream">
              {served.upstream
                ? t("relay.run.upstreamMode", { url: served.upstream, mode: t(`relay.mode.${served.mode}`) })
                : t("relay.run.builtIn")}
            </dd>
            {status.pendingEvents > 0 && (
              <>
                <dt>{t("relay.run.pending")}</dt>
                <dd data-testid="relay-pending">{status.pendingEvents}</dd>
              </>
            )}
          </dl>
        )}
        <p className="field__hint" data-testid="relay-url-note">
          {t("relay.run.urlNote")}
        </p>
        {status.warning && (
          <p className="field__warning" role="alert" data-testid="relay-warning">
            {status.warning}
          </p>
        )}
        <div className="actions">
          <BusyButton busy={busy === "stop"} busyLabel={t("relay.run.stopping")} testId="relay-stop" onClick={() => void stop()} secondary>
            {t("relay.run.stop")}
          </BusyButton>
        </div>
      </div>
    );
  }

  const exposed = !isLoopback(bind);
  return (
    <form
      className="relay-settings"
      data-testid="relay-settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (formValid && busy === null) void start();
      }}
    >
      <div className="form-grid relay-settings__grid">
        <WholeNumberField
          id={`${id}-port`}
          testId="relay-port"
          label={t("relay.settings.port")}
          value={port}
          valid={portValid}
          hint={t("relay.settings.portHint")}
          invalid={t("relay.settings.portInvalid")}
          onChange={setPort}
        />
        <div className="field">
          <label htmlFor={`${id}-bind`}>{t("relay.settings.bind")}</label>
          <input
            id={`${id}-bind`}
            className="input input--mono"
            data-testid="relay-bind"
            value={bind}
            onChange={(e) => setBind(e.target.value)}
          />
          {exposed ? (
            <span className="field__warning" role="alert" data-testid="relay-bind-warning">
              {t("relay.settings.bindWarning")}
            </span>
          ) : (
            <span className="field__hint">{t("relay.settings.bindHint")}</span>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-upstream`}>{t("relay.settings.upstream")}</label>
          <input
            id={`${id}-upstream`}
            className="input input--mono"
            data-testid="relay-upstream-url"
            placeholder="https://"
            value={upstream}
            onChange={(e) => setUpstream(e.target.value)}
          />
          <span className="field__hint">{t("relay.settings.upstreamHint")}</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-mode`}>{t("relay.settings.mode")}</label>
          <select id={`${id}-mode`} data-testid="relay-mode" value={mode} onChange={(e) => setMode(e.target.value as ForwardMode)}>
            <option value="transparent">{t("relay.mode.transparent")}</option>
            <option value="resign">{t("relay.mode.resign")}</option>
          </select>
          <span className="field__hint">{t(`relay.mode.${mode}Hint`)}</span>
        </div>
        <WholeNumberField
          id={`${id}-budget`}
          testId="relay-budget"
          label={t("relay.settings.budget")}
          value={budget}
          valid={budgetValid}
          hint={t("relay.settings.budgetHint")}
          invalid={t("relay.settings.budgetInvalid")}
          onChange={setBudget}
        />
        <WholeNumberField
          id={`${id}-skew`}
          testId="relay-skew"
          label={t("relay.settings.skew")}
          value={skew}
          valid={skewValid}
          hint={t("relay.settings.skewHint")}
          invalid={t("relay.settings.skewInvalid")}
          onChange={setSkew}
        />
        <WholeNumberField
          id={`${id}-retention`}
          testId="relay-retention"
          label={t("relay.settings.retention")}
          value={retention}
          valid={retentionValid}
          hint={t("relay.settings.retentionHint")}
          invalid={t("relay.settings.retentionInvalid")}
          onChange={setRetention}
        />
      </div>
      <div className="actions">
        <BusyButton
          type="submit"
          busy={busy === "start"}
          busyLabel={t("relay.run.starting")}
          testId="relay-start"
          disabled={!formValid}
          onClick={() => undefined}
        >
          {t("relay.run.start")}
        </BusyButton>
      </div>
    </form>
  );
}

interface WholeNumberFieldProps {
  id: string;
  testId: string;
  label: string;
  value: string;
  valid: boolean;
  hint: string;
  /** Shown instead of the hint while the value is out of range. */
  invalid: string;
  onChange: (value: string) => void;
}

/** A whole-number input that keeps what was typed and says the allowed range while it is wrong. */
function WholeNumberField({ id, testId, label, value, valid, hint, invalid, onChange }: WholeNumberFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        data-testid={testId}
        inputMode="numeric"
        value={value}
        aria-invalid={!valid}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={`${id}-hint`} className={valid ? "field__hint" : "field__error"}>
        {valid ? hint : invalid}
      </span>
    </div>
  );
}
