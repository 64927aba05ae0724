// Start/stop with the settings, and while running: the listening URL to copy into the console.
// The form is what the profile's relay was last started with (kept per profile by relay_start);
// the callback URL copied last is remembered, so a URL that changed since gets a warning.
import { useCallback, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { ForwardMode } from "../../bindings/ForwardMode";
import type { RelayStatus } from "../../bindings/RelayStatus";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { copyText } from "../../lib/clipboard";
import { useCommand, useLoad } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { problemMessage } from "../../errors/problemText";
import { isLoopback } from "./format";
import { DEFAULT_SAVED, formFromSaved, type RelayForm } from "./relayForm";
import { UpstreamSuggestion } from "./UpstreamSuggestion";

interface RelayControlsProps {
  profile: string;
  /** The profile's saved Message Card Request URL, offered as the upstream. */
  cardRequestUrl: string | null;
  status: RelayStatus | null;
  onStarted: (status: RelayStatus) => void;
  onStopped: () => void;
}

export function RelayControls({ profile, cardRequestUrl, status, onStarted, onStopped }: RelayControlsProps) {
  const { t } = useTranslation();
  const running = status !== null;
  // Read again for another profile and after a stop (the start saved the form); useLoad also
  // reads again after the banner's Retry.
  const saved = useLoad(
    // `running` on purpose: a stop means the start saved a new form, so it is read again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    useCallback(() => commands.relaySavedSettings(profile), [profile, running]),
  );
  const [copied, setCopied] = useState<{ profile: string; url: string } | null>(null);
  // Unreadable settings (the failure is in the banner): the form starts from the defaults.
  const current = saved.data ?? (saved.error ? DEFAULT_SAVED : null);

  if (status) {
    const served = status.urls[0]?.profile;
    const lastCopied = copied && copied.profile === served ? copied.url : (current?.lastCopiedUrl ?? null);
    return (
      <RunningRelay
        status={status}
        lastCopiedUrl={lastCopied}
        onCopied={(name, url) => setCopied({ profile: name, url })}
        onStopped={onStopped}
      />
    );
  }
  if (!current) {
    return (
      <p className="muted loading-line" data-testid="relay-settings-loading">
        <Spinner /> {t("common.loading")}
      </p>
    );
  }
  return (
    <StartForm
      key={`${profile}-${saved.data ? "saved" : "default"}`}
      profile={profile}
      initial={formFromSaved(current)}
      cardRequestUrl={cardRequestUrl}
      onStarted={onStarted}
    />
  );
}

/** Copies the URL (then `copied()`), and remembers it as the one the console most likely has. */
async function copyAndMark(profile: string, url: string, copied: () => void): Promise<void> {
  await copyText(url);
  copied();
  await commands.relayMarkCopied(profile, url);
}

interface RunningRelayProps {
  status: RelayStatus;
  /** The callback URL the admin last copied for the served profile (what the console most likely has). */
  lastCopiedUrl: string | null;
  onCopied: (profile: string, url: string) => void;
  onStopped: () => void;
}

function RunningRelay({ status, lastCopiedUrl, onCopied, onStopped }: RunningRelayProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const stopping = useCommand(commands.relayStop, { inline: true });
  const copying = useCommand(copyAndMark, { inline: true });
  const served = status.urls[0];

  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 1500);
    return () => window.clearTimeout(timer);
  }, [copied]);

  async function stop() {
    if ((await stopping.run()).status === "done") onStopped();
  }

  async function copy(profile: string, url: string) {
    const result = await copying.run(profile, url, () => setCopied(true));
    if (result.status === "done") onCopied(profile, url);
  }

  const changed = served && lastCopiedUrl !== null && lastCopiedUrl !== served.url;
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
            <span className="copy-button">
              <button
                type="button"
                className="button button--secondary button--small"
                data-testid="relay-url-copy"
                aria-label={t("common.copyWhat", { what: t("relay.run.url") })}
                onClick={() => void copy(served.profile, served.url)}
              >
                {copied ? t("common.copied") : t("common.copy")}
              </button>
            </span>
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
      <ActionError error={copying.error} testId="relay-url-copy-error" summary={false} />
      {changed && (
        <p className="field__warning" role="alert" data-testid="relay-url-changed">
          {t("relay.run.urlChanged", { url: lastCopiedUrl })}
        </p>
      )}
      <p className="field__hint" data-testid="relay-url-note">
        {t("relay.run.urlNote")}
      </p>
      {status.warning && (
        <p className="field__warning" role="alert" data-testid="relay-warning">
          {problemMessage(t, status.warning)}
        </p>
      )}
      <div className="actions">
        <BusyButton busy={stopping.busy} busyLabel={t("relay.run.stopping")} testId="relay-stop" onClick={() => void stop()} secondary>
          {t("relay.run.stop")}
        </BusyButton>
      </div>
      <ActionError error={stopping.error} testId="relay-stop-error" summary={false} />
    </div>
  );
}

interface StartFormProps {
  profile: string;
  initial: RelayForm;
  cardRequestUrl: string | null;
  onStarted: (status: RelayStatus) => void;
}

function StartForm({ profile, initial, cardRequestUrl, onStarted }: StartFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState(initial);
  const { port, bind, upstream, mode, budget, skew, retention } = form;
  const field =
    <K extends keyof RelayForm>(key: K) =>
    (value: RelayForm[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  const [setPort, setBind, setUpstream, setMode] = [field("port"), field("bind"), field("upstream"), field("mode")];
  const [setBudget, setSkew, setRetention] = [field("budget"), field("skew"), field("retention")];
  const starting = useCommand(commands.relayStart, { inline: true });
  const busy = starting.busy;

  const whole = (text: string, min: number, max: number) => {
    const n = Number(text);
    return text.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;
  };
  const portValid = whole(port, 0, 65535);
  const budgetValid = whole(budget, 100, 2900);
  const skewValid = whole(skew, 10, 86400);
  const retentionValid = whole(retention, 100, 1000000);
  const formValid = portValid && budgetValid && skewValid && retentionValid;

  async function start() {
    const started = await starting.run(
      profile,
      {
        port: Number(port),
        listenAll: false,
        upstreamUrl: upstream.trim() || undefined,
        mode,
        cardBudgetMs: Number(budget),
        maxSkewSecs: Number(skew),
        retention: Number(retention),
      },
      bind.trim() || undefined,
    );
    if (started.status === "done") onStarted(started.value);
  }

  const exposed = !isLoopback(bind);
  return (
    <form
      className="relay-settings"
      data-testid="relay-settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (formValid && !busy) void start();
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
          <UpstreamSuggestion url={cardRequestUrl} current={upstream} onUse={setUpstream} testId="relay-upstream-suggest" />
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
        <BusyButton type="submit" busy={busy} busyLabel={t("relay.run.starting")} testId="relay-start" disabled={!formValid} onClick={() => undefined}>
          {t("relay.run.start")}
        </BusyButton>
      </div>
      <ActionError error={starting.error} testId="relay-start-error" summary={false} />
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
