// Long-connection mode: no listener and no public URL; the app dials the platform's WebSocket
// and the platform pushes events and card clicks down it. Records land in the same inspector.
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { LongConnectionStatus } from "../../bindings/LongConnectionStatus";
import { BusyButton } from "../../components/BusyButton";
import { useCommand, useLoad } from "../../lib/useCommand";
import { ActionError } from "./actionError";
import { UpstreamSuggestion } from "./UpstreamSuggestion";

interface LongConnectionPanelProps {
  profile: string;
  /** The profile's saved Message Card Request URL, offered as the upstream. */
  cardRequestUrl: string | null;
  /** The HTTP listener is running: one mode at a time. */
  httpRunning: boolean;
  onChange: () => void;
}

const POLL_MS = 1000;

/** Starts the long connection (upstream: a URL, or undefined for the built-in answers), or stops it (null). */
async function switchLongConnection(profile: string, upstream: string | undefined | null): Promise<LongConnectionStatus | null> {
  if (upstream === null) {
    await commands.relayStop();
    return null;
  }
  return commands.relayStartLongConnection(profile, {
    port: 0,
    listenAll: false,
    upstreamUrl: upstream,
    mode: "resign",
    cardBudgetMs: 2500,
    maxSkewSecs: 300,
    retention: 10000,
  });
}

function uptime(since: string | undefined, now: number): string {
  if (!since) return "—";
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

export function LongConnectionPanel({ profile, cardRequestUrl, httpRunning, onChange }: LongConnectionPanelProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const loaded = useLoad(commands.relayLongConnectionStatus);
  /** The status as polled while running, or as a start or stop here left it. */
  const [latest, setLatest] = useState<{ status: LongConnectionStatus | null } | null>(null);
  const status = latest ? latest.status : (loaded.data ?? null);
  const [upstream, setUpstream] = useState("");
  const [now, setNow] = useState(() => Date.now());
  const reading = useCommand(commands.relayLongConnectionStatus);
  const switching = useCommand(switchLongConnection, { inline: true });
  const { run: read, reset: dropRead } = reading;

  const running = Boolean(status);
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(async () => {
      const current = await read();
      if (current.status !== "done") return;
      setLatest({ status: current.value ?? null });
      setNow(Date.now());
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, read]);

  async function change(on: boolean) {
    const result = await switching.run(profile, on ? upstream.trim() || undefined : null);
    if (result.status !== "done") return;
    dropRead(); // a status read before the switch is out of date
    setLatest({ status: result.value });
    onChange();
  }
  const busy = switching.busy;
  const start = () => change(true);
  const stop = () => change(false);

  const time = (iso: string | undefined) =>
    iso ? new Intl.DateTimeFormat(i18n.language, { timeStyle: "medium" }).format(new Date(iso)) : "—";

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="relay-lc">
      <h2 id={`${id}-title`} className="panel__title">
        {t("relay.lc.title")}
      </h2>
      <p className="muted">{t("relay.lc.intro")}</p>
      {status ? (
        <>
          <dl className="facts">
            <dt>{t("relay.lc.state")}</dt>
            <dd>
              <span
                className={`status-badge status-badge--${status.state === "connected" ? "pass" : status.state === "failed" ? "fail" : "unknown"}`}
                data-testid="relay-lc-state"
                data-state={status.state}
              >
                {t(`relay.lc.states.${status.state}`, { attempt: status.attempt ?? 0 })}
              </span>
            </dd>
            <dt>{t("relay.lc.uptime")}</dt>
            <dd data-testid="relay-lc-uptime">{status.state === "connected" ? uptime(status.since, now) : "—"}</dd>
            <dt>{t("relay.lc.messages")}</dt>
            <dd data-testid="relay-lc-messages">{status.messages}</dd>
            <dt>{t("relay.lc.lastMessage")}</dt>
            <dd data-testid="relay-lc-last">{time(status.lastMessage)}</dd>
            {status.reason && (
              <>
                <dt>{t("relay.lc.reason")}</dt>
                <dd className="field__error" data-testid="relay-lc-reason">
                  {status.reason}
                </dd>
              </>
            )}
          </dl>
          <div className="actions">
            <BusyButton busy={busy} busyLabel={t("relay.run.stopping")} testId="relay-lc-stop" onClick={() => void stop()} secondary>
              {t("relay.run.stop")}
            </BusyButton>
          </div>
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-upstream`}>{t("relay.settings.upstream")}</label>
            <input
              id={`${id}-upstream`}
              className="input"
              data-testid="relay-lc-upstream"
              value={upstream}
              placeholder="https://"
              onChange={(e) => setUpstream(e.target.value)}
            />
            <p className="field__hint">{t("relay.lc.upstreamHint")}</p>
            <UpstreamSuggestion url={cardRequestUrl} current={upstream} onUse={setUpstream} testId="relay-lc-upstream-suggest" />
          </div>
          {httpRunning && <p className="field__warning">{t("relay.lc.oneMode")}</p>}
          <div className="actions">
            <BusyButton busy={busy} busyLabel={t("relay.lc.connecting")} testId="relay-lc-start" disabled={!profile} onClick={() => void start()}>
              {t("relay.lc.start")}
            </BusyButton>
          </div>
        </>
      )}
      <ActionError error={switching.error} testId="relay-lc-error" />
    </section>
  );
}
