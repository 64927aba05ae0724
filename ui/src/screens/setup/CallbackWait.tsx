// After the test card: wait for a card click to come back through the relay, so the admin sees
// the whole loop (Feishu → Request URL or long connection → relay → upstream) work. Any card's
// click counts: the test card has no buttons, so the admin clicks an alert card (from Flashduty
// or the Cards screen). On the sandbox, the simulated platform can send the click.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import * as commands from "../../api/commands";
import type { RecordSummary } from "../../bindings/RecordSummary";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { useCommand, useLoad } from "../../lib/useCommand";
import { formatMs, formatTime } from "../relay/format";
import { listenToRelay } from "../relay/liveEvents";
import { ActionError } from "./ActionError";

/** Where the profile's callbacks arrive: the HTTP relay's path slug, or the long connection. */
interface Receiving {
  /** The slug of the HTTP relay's URL for this profile, if it serves it. */
  slug: string | null;
  /** The long connection is connected for this profile. */
  longConnection: boolean;
  /** Slugs the HTTP relay serves for other profiles (their clicks are not ours). */
  others: string[];
}

const CARD_KINDS = new Set(["card_action", "legacy_card_action"]);
const slugOf = (url: string) => url.split("/").filter(Boolean).pop() ?? "";

async function receivingOf(profile: string): Promise<Receiving> {
  const [http, lc] = await Promise.all([commands.relayStatus(), commands.relayLongConnectionStatus()]);
  const mine = http?.urls.find((u) => u.profile === profile);
  return {
    slug: mine ? slugOf(mine.url) : null,
    longConnection: lc?.profile === profile && lc.state !== "failed" && lc.state !== "stopped",
    others: (http?.urls ?? []).filter((u) => u.profile !== profile).map((u) => slugOf(u.url)),
  };
}

export function CallbackWait({ profile, sandbox }: { profile: string; sandbox: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [since, setSince] = useState<number | null>(null);
  const [click, setClick] = useState<RecordSummary | null>(null);
  // On arrival (a failure in the banner), and on "Look again" (a failure beside it).
  const loaded = useLoad(useCallback(() => receivingOf(profile), [profile]));
  const lookAgain = useCommand(receivingOf, { inline: true });
  const receiving = lookAgain.data ?? loaded.data ?? null;
  const look = () => void lookAgain.run(profile);
  const simulating = useCommand(commands.relayTrigger, { inline: true });

  useEffect(() => {
    if (since === null || receiving === null) return;
    return listenToRelay(
      (event) => {
        const r = event.record;
        if (event.type !== "recorded" || !CARD_KINDS.has(r.kind) || Date.parse(r.receivedAt) < since - 1000) return;
        const ours = r.profile === receiving.slug || (receiving.longConnection && !receiving.others.includes(r.profile));
        if (ours) setClick((first) => first ?? r);
      },
      () => undefined,
    );
  }, [since, receiving]);

  const simulate = () => simulating.run(profile, { kind: "card_action" });

  if (receiving === null) return null;
  const listening = receiving.slug !== null || receiving.longConnection;

  return (
    <section className="callback-wait" aria-labelledby="callback-wait-title" data-testid="callback-wait">
      <h3 id="callback-wait-title">{t("setup.endToEnd.callback.title")}</h3>
      {!listening ? (
        <>
          <p className="muted" data-testid="callback-no-relay">
            {t("setup.endToEnd.callback.noRelay")}
          </p>
          <div className="actions">
            <button type="button" className="button button--secondary" data-testid="callback-open-relay" onClick={() => navigate("/relay")}>
              {t("setup.endToEnd.callback.openRelay")}
            </button>
            <button type="button" className="button button--secondary" data-testid="callback-look-again" onClick={look}>
              {t("setup.endToEnd.callback.lookAgain")}
            </button>
            <ActionError error={lookAgain.error} testId="callback-look-again-error" />
          </div>
        </>
      ) : click ? (
        <p
          className={click.verdict === "rejected" ? "field__error" : "saved-note"}
          role="status"
          data-testid="callback-received"
          data-verdict={click.verdict}
        >
          {t(click.verdict === "rejected" ? "setup.endToEnd.callback.rejected" : "setup.endToEnd.callback.received", {
            time: formatTime(click.receivedAt),
            latency: formatMs(click.answerMs),
            by: t(`relay.answeredBy.${click.answeredBy}`),
            code: click.rejectCode ?? "",
          })}
        </p>
      ) : since === null ? (
        <>
          <p className="muted">{t(receiving.longConnection ? "setup.endToEnd.callback.readyLong" : "setup.endToEnd.callback.ready")}</p>
          <div className="actions">
            <button type="button" className="button button--secondary" data-testid="callback-wait-start" onClick={() => setSince(Date.now())}>
              {t("setup.endToEnd.callback.start")}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="loading-line" role="status" data-testid="callback-waiting">
            <Spinner /> {t("setup.endToEnd.callback.waiting")}
          </p>
          <div className="actions">
            {sandbox && receiving.slug !== null && (
              <BusyButton testId="callback-simulate" secondary busy={simulating.busy} busyLabel={t("common.loading")} onClick={() => void simulate()}>
                {t("setup.endToEnd.callback.simulate")}
              </BusyButton>
            )}
            <button type="button" className="button button--secondary" data-testid="callback-wait-stop" onClick={() => setSince(null)}>
              {t("common.cancel")}
            </button>
            <ActionError error={simulating.error} testId="callback-simulate-error" />
          </div>
        </>
      )}
    </section>
  );
}
