// Send the editor's card to groups the bot is in and to people (several at once), show each
// target's message ID or its failure with the fix, and update a sent card (re-rendered as
// acknowledged or resolved, or replaced by the editor's card). On the sandbox, the simulated
// tenant's people are offered as recipients. Mounted with `key={profile}`: a profile starts afresh.
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { BotChat } from "../../bindings/BotChat";
import type { CardKind } from "../../bindings/CardKind";
import type { Delivery } from "../../bindings/Delivery";
import type { DeliveryFailure } from "../../bindings/DeliveryFailure";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { SendTarget } from "../../bindings/SendTarget";
import type { TargetKind } from "../../bindings/TargetKind";
import { BusyButton } from "../../components/BusyButton";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useErrors } from "../../errors/ErrorContext";
import type { SentContext } from "./PreviewPanel";

type PersonKind = Extract<TargetKind, "email" | "open_id">;

interface UpdateState {
  busy: boolean;
  /** What the card was updated to, when it was. */
  done?: string;
  failure?: DeliveryFailure;
}

interface Row {
  delivery: Delivery;
  update?: UpdateState;
}

interface SendPanelProps {
  /** null while loading. */
  profiles: ProfileSummary[] | null;
  sandbox: SandboxStatus;
  profile: string | null;
  onProfile: (name: string) => void;
  cardText: string;
  jsonValid: boolean;
  errors: number;
  renderFor: (kind: CardKind) => Promise<string>;
  onUpdated: (kind: CardKind | null, text: string) => void;
  onSent: (context: SentContext) => void;
}

function requestId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const sameTarget = (a: SendTarget, b: SendTarget) => a.kind === b.kind && a.id === b.id;

export function SendPanel({ profiles, sandbox, profile, onProfile, cardText, jsonValid, errors, renderFor, onUpdated, onSent }: SendPanelProps) {
  const { t } = useTranslation();
  const { show } = useErrors();
  const id = useId();
  const [chats, setChats] = useState<BotChat[] | null>(null);
  const [loadingChats, setLoadingChats] = useState(false);
  const [query, setQuery] = useState("");
  const [chosenChats, setChosenChats] = useState<string[]>([]);
  const [people, setPeople] = useState<SendTarget[]>([]);
  const [personKind, setPersonKind] = useState<PersonKind>("email");
  const [personId, setPersonId] = useState("");
  const [sending, setSending] = useState(false);
  const [rows, setRows] = useState<Row[]>([]);

  const appId = profiles?.find((p) => p.name === profile)?.appId;
  /** The simulated tenant's people, when the chosen profile is the sandbox's. */
  const sandboxPeople = sandbox.active && profile !== null && sandbox.profile === profile ? (sandbox.people ?? []) : [];

  async function loadChats() {
    if (!profile) return;
    setLoadingChats(true);
    try {
      setChats(await commands.listBotChats(profile));
    } catch (error) {
      show(error);
    } finally {
      setLoadingChats(false);
    }
  }

  const shownChats = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!chats || !needle) return chats ?? [];
    return chats.filter((c) => c.name.toLowerCase().includes(needle) || c.description.toLowerCase().includes(needle) || c.chatId.toLowerCase().includes(needle));
  }, [chats, query]);

  const chatName = (chatId: string) => chats?.find((c) => c.chatId === chatId)?.name ?? chatId;
  const targets: SendTarget[] = [...chosenChats.map((chatId): SendTarget => ({ kind: "chat_id", id: chatId })), ...people];

  const toggleChat = (chatId: string) =>
    setChosenChats((list) => (list.includes(chatId) ? list.filter((c) => c !== chatId) : [...list, chatId]));

  const addPerson = () => {
    const value = personId.trim();
    if (!value) return;
    const target: SendTarget = { kind: personKind, id: value };
    setPeople((list) => (list.some((p) => sameTarget(p, target)) ? list : [...list, target]));
    setPersonId("");
  };

  const removeTarget = (target: SendTarget) => {
    if (target.kind === "chat_id") setChosenChats((list) => list.filter((c) => c !== target.id));
    else setPeople((list) => list.filter((p) => !sameTarget(p, target)));
  };

  const personName = (openId: string) => sandboxPeople.find((p) => p.openId === openId)?.name;
  const targetLabel = (target: SendTarget) => {
    if (target.kind === "chat_id") return `${t("cards.send.targetKinds.chat_id")}: ${chatName(target.id)}`;
    const name = target.kind === "open_id" ? personName(target.id) : undefined;
    return `${t(`cards.send.targetKinds.${target.kind}`)}: ${name ? `${name} (${target.id})` : target.id}`;
  };

  const togglePerson = (openId: string) => {
    const target: SendTarget = { kind: "open_id", id: openId };
    setPeople((list) => (list.some((p) => sameTarget(p, target)) ? list.filter((p) => !sameTarget(p, target)) : [...list, target]));
  };

  async function send(to: SendTarget[], replaceFailed: boolean) {
    if (!profile || to.length === 0) return;
    setSending(true);
    try {
      const deliveries = await commands.sendCard(profile, cardText, to, requestId());
      setRows((current) => {
        if (!replaceFailed) return deliveries.map((delivery) => ({ delivery }));
        const next = [...current];
        for (const delivery of deliveries) {
          const at = next.findIndex((row) => sameTarget(row.delivery.target, delivery.target));
          if (at >= 0) next[at] = { delivery };
          else next.push({ delivery });
        }
        return next;
      });
      const first = deliveries.find((d) => d.messageId);
      if (first) onSent({ messageId: first.messageId, chatId: first.chatId, appId });
    } catch (error) {
      show(error);
    } finally {
      setSending(false);
    }
  }

  function setUpdate(messageId: string, update: UpdateState) {
    setRows((current) => current.map((row) => (row.delivery.messageId === messageId ? { ...row, update } : row)));
  }

  async function update(messageId: string, to: CardKind | null) {
    if (!profile) return;
    setUpdate(messageId, { busy: true });
    try {
      const text = to ? await renderFor(to) : cardText;
      const result = await commands.updateCard(profile, messageId, text);
      if (result.updated) {
        const what = to ? t(`cards.gallery.kinds.${to}`) : t("cards.send.updatedEditor");
        setUpdate(messageId, { busy: false, done: what });
        onUpdated(to, text);
      } else {
        setUpdate(messageId, { busy: false, failure: result.failure });
      }
    } catch (error) {
      setUpdate(messageId, { busy: false });
      show(error);
    }
  }

  if (profiles !== null && profiles.length === 0) {
    return (
      <section className="panel" data-testid="send-panel">
        <h2 className="panel__title">{t("cards.send.title")}</h2>
        <p className="muted" data-testid="send-no-profiles">
          {t("cards.send.noProfiles")}
        </p>
      </section>
    );
  }

  const failed = rows.filter((row) => row.delivery.failure).map((row) => row.delivery.target);
  const canSend = Boolean(profile) && targets.length > 0 && jsonValid && !sending;

  return (
    <section className="panel form-stack" aria-labelledby={`${id}-title`} data-testid="send-panel">
      <h2 id={`${id}-title`} className="panel__title" style={{ margin: 0 }}>
        {t("cards.send.title")}
      </h2>
      <p className="muted">{t("cards.send.intro")}</p>
      <SandboxBanner sandbox={sandbox} />
      {profiles && (
        <ProfileSelect profiles={profiles} sandbox={sandbox} value={profile ?? ""} onChange={onProfile} testId="send-profile" />
      )}

      <fieldset className="field-group">
        <legend>{t("cards.send.chats")}</legend>
        <div className="cards-row">
          <BusyButton testId="send-load-chats" secondary busy={loadingChats} busyLabel={t("cards.send.loadingChats")} disabled={!profile} onClick={() => void loadChats()}>
            {t("cards.send.loadChats")}
          </BusyButton>
          {chats && chats.length > 0 && (
            <input
              type="search"
              className="input"
              data-testid="send-chat-search"
              aria-label={t("chats.search")}
              placeholder={t("chats.searchPlaceholder")}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          )}
        </div>
        {chats && chats.length === 0 && (
          <p className="muted" data-testid="send-chats-empty">
            {t("cards.send.noChats")}
          </p>
        )}
        {chats && chats.length > 0 && (
          <div className="cards-chats" data-testid="send-chats">
            {shownChats.map((chat) => (
              <label key={chat.chatId} className="cards-check">
                <input type="checkbox" data-testid={`send-chat-${chat.chatId}`} checked={chosenChats.includes(chat.chatId)} onChange={() => toggleChat(chat.chatId)} />
                <span>{chat.name}</span>
                {chat.description && <span className="muted">{chat.description}</span>}
              </label>
            ))}
            {shownChats.length === 0 && (
              <p className="muted" data-testid="send-chat-no-match">
                {t("chats.noMatch")}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <fieldset className="field-group">
        <legend>{t("cards.send.people")}</legend>
        {sandboxPeople.length > 0 && (
          <div className="cards-chats" data-testid="send-sandbox-people" role="group" aria-label={t("cards.send.sandboxPeople")}>
            <p className="muted">{t("cards.send.sandboxPeople")}</p>
            {sandboxPeople.map((person) => (
              <label key={person.openId} className="cards-check">
                <input
                  type="checkbox"
                  data-testid={`send-person-${person.openId}`}
                  checked={people.some((p) => p.kind === "open_id" && p.id === person.openId)}
                  onChange={() => togglePerson(person.openId)}
                />
                <span>{person.name}</span>
                <span className="muted mono">{person.openId}</span>
              </label>
            ))}
          </div>
        )}
        <div className="cards-row">
          <select aria-label={t("cards.send.personKind")} data-testid="send-person-kind" value={personKind} onChange={(e) => setPersonKind(e.target.value as PersonKind)}>
            <option value="email">{t("cards.send.targetKinds.email")}</option>
            <option value="open_id">{t("cards.send.targetKinds.open_id")}</option>
          </select>
          <input
            className="input"
            data-testid="send-person-id"
            aria-label={t("cards.send.personId")}
            placeholder={t("cards.send.personPlaceholder")}
            value={personId}
            spellCheck={false}
            onChange={(e) => setPersonId(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addPerson();
              }
            }}
          />
          <button type="button" className="button button--secondary" data-testid="send-person-add" disabled={!personId.trim()} onClick={addPerson}>
            {t("cards.send.addPerson")}
          </button>
        </div>
      </fieldset>

      <div>
        <h3 className="panel__title" style={{ marginBottom: 6 }}>
          {t("cards.send.targets")} ({targets.length})
        </h3>
        {targets.length === 0 ? (
          <p className="muted" data-testid="send-no-targets">
            {t("cards.send.noTargets")}
          </p>
        ) : (
          <ul className="cards-targets" data-testid="send-targets" style={{ listStyle: "none", padding: 0 }}>
            {targets.map((target, index) => (
              <li key={`${target.kind}:${target.id}`} className="cards-chip" data-testid={`send-target-${index}`}>
                {targetLabel(target)}
                <button type="button" aria-label={t("cards.send.remove", { target: targetLabel(target) })} data-testid={`send-target-remove-${index}`} onClick={() => removeTarget(target)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>

      {!jsonValid && (
        <p className="field__error" data-testid="send-invalid-json">
          {t("cards.send.invalidJson")}
        </p>
      )}
      {jsonValid && errors > 0 && (
        <p className="field__warning" data-testid="send-errors-warning">
          {t("cards.send.errorsWarning", { count: errors })}
        </p>
      )}
      <div className="actions">
        <BusyButton testId="card-send" busy={sending} busyLabel={t("cards.send.sending")} disabled={!canSend} onClick={() => void send(targets, false)}>
          {t("cards.send.send")}
        </BusyButton>
        {failed.length > 0 && (
          <button type="button" className="button button--secondary" data-testid="send-retry-failed" disabled={sending} onClick={() => void send(failed, true)}>
            {t("cards.send.retryFailed")}
          </button>
        )}
      </div>

      {rows.length > 0 && (
        <div aria-live="polite">
          <h3 className="panel__title" style={{ marginBottom: 6 }}>
            {t("cards.send.results")}
          </h3>
          <ul className="cards-results" data-testid="send-results">
            {rows.map((row, index) => (
              <ResultRow key={`${row.delivery.target.kind}:${row.delivery.target.id}`} row={row} index={index} label={targetLabel(row.delivery.target)} onUpdate={update} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function FailureText({ failure, testId, operation }: { failure: DeliveryFailure; testId: string; operation: "send" | "update" }) {
  const { t } = useTranslation();
  const fixKey = operation === "update" && failure.kind === "content_invalid" ? "content_invalid_update" : failure.kind;
  const fix = t(`cards.fixes.${fixKey}`, {
    seconds: failure.retryAfterSecs ?? 1,
    scopes: (failure.scopes ?? []).join(", "),
    defaultValue: failure.fix.text,
  });
  return (
    <div data-testid={testId} data-kind={failure.kind}>
      <strong>{t(`cards.failures.${failure.kind}`, { defaultValue: failure.message })}</strong>
      <p className="muted" style={{ fontSize: 12 }} data-testid={`${testId}-message`}>
        {failure.message}
      </p>
      <p className="cards-result__fix" data-testid={`${testId}-fix`}>
        <strong>{t("cards.fix")}</strong> {fix}
      </p>
      {failure.fix.link && <ConsoleLinkButton link={failure.fix.link} label={t("cards.openFix")} testId={`${testId}-link`} />}
    </div>
  );
}

function ResultRow({
  row,
  index,
  label,
  onUpdate,
}: {
  row: Row;
  index: number;
  label: string;
  onUpdate: (messageId: string, to: CardKind | null) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { delivery, update } = row;
  const messageId = delivery.messageId;
  return (
    <li className="cards-result" data-testid={`send-result-${index}`} data-status={messageId ? "sent" : "failed"} data-target={delivery.target.id}>
      <div className="cards-result__head">
        <span className={`status-badge status-badge--${messageId ? "pass" : "fail"}`}>{messageId ? t("cards.send.sent") : t("cards.send.failed")}</span>
        <span>{label}</span>
        {messageId && (
          <span className="cards-result__id">
            {t("cards.send.messageId")}: <span data-testid={`send-message-id-${index}`}>{messageId}</span>
          </span>
        )}
      </div>
      {delivery.failure && <FailureText failure={delivery.failure} testId={`send-failure-${index}`} operation="send" />}
      {messageId && (
        <div className="cards-row">
          {(["acknowledged", "resolved"] as const).map((to) => (
            <button
              key={to}
              type="button"
              className="button button--secondary button--small"
              data-testid={`send-update-${to === "acknowledged" ? "ack" : "resolved"}-${index}`}
              disabled={update?.busy}
              onClick={() => void onUpdate(messageId, to)}
            >
              {to === "acknowledged" ? t("cards.send.updateAck") : t("cards.send.updateResolved")}
            </button>
          ))}
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid={`send-update-editor-${index}`}
            disabled={update?.busy}
            onClick={() => void onUpdate(messageId, null)}
          >
            {t("cards.send.updateEditor")}
          </button>
          {update?.busy && <span className="muted">{t("cards.send.updating")}</span>}
          {update?.done && (
            <span className="saved-note" role="status" data-testid={`send-update-status-${index}`}>
              {t("cards.send.updated", { what: update.done })}
            </span>
          )}
        </div>
      )}
      {update?.failure && (
        <div>
          <span className="muted">{t("cards.send.updateFailed")}</span>
          <FailureText failure={update.failure} testId={`send-update-failure-${index}`} operation="update" />
        </div>
      )}
    </li>
  );
}
