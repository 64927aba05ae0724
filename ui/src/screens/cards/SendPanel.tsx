// Send the editor's card to groups the bot is in and to people (several at once), show each
// target's message ID or its failure with the fix, and update a sent card (SendResults). On the
// sandbox, the simulated tenant's people are offered as recipients. Mounted with `key={profile}`:
// a profile starts afresh.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { BotChat } from "../../bindings/BotChat";
import type { CardKind } from "../../bindings/CardKind";
import type { Delivery } from "../../bindings/Delivery";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxPerson } from "../../bindings/SandboxPerson";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { SendTarget } from "../../bindings/SendTarget";
import type { TargetKind } from "../../bindings/TargetKind";
import { BusyButton } from "../../components/BusyButton";
import { ChatPicker } from "../../components/ChatPicker";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useCommand } from "../../lib/useCommand";
import type { SentContext } from "./PreviewPanel";
import { SendResults } from "./SendResults";

type PersonKind = Extract<TargetKind, "email" | "open_id">;

interface SendPanelProps {
  /** null while loading. */
  profiles: ProfileSummary[] | null;
  sandbox: SandboxStatus;
  /** The current profile (ProfileSelect changes it for every screen). */
  profile: string | null;
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

/** `deliveries` in place of the rows for the same targets (a retry), or as the new list. */
function mergeDeliveries(current: Delivery[], deliveries: Delivery[], replaceFailed: boolean): Delivery[] {
  if (!replaceFailed) return deliveries;
  const next = [...current];
  for (const delivery of deliveries) {
    const at = next.findIndex((row) => sameTarget(row.target, delivery.target));
    if (at >= 0) next[at] = delivery;
    else next.push(delivery);
  }
  return next;
}

export function SendPanel({ profiles, sandbox, profile, cardText, jsonValid, errors, renderFor, onUpdated, onSent }: SendPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const chats = useCommand(commands.listBotChats);
  const sending = useCommand(commands.sendCard);
  const [chosenChats, setChosenChats] = useState<string[]>([]);
  const [people, setPeople] = useState<SendTarget[]>([]);
  const [rows, setRows] = useState<Delivery[]>([]);

  const appId = profiles?.find((p) => p.name === profile)?.appId;
  /** The simulated tenant's people, when the chosen profile is the sandbox's. */
  const sandboxPeople = sandbox.active && profile !== null && sandbox.profile === profile ? (sandbox.people ?? []) : [];
  const targets: SendTarget[] = [...chosenChats.map((chatId): SendTarget => ({ kind: "chat_id", id: chatId })), ...people];

  const removeTarget = (target: SendTarget) => {
    if (target.kind === "chat_id") setChosenChats((list) => list.filter((c) => c !== target.id));
    else setPeople((list) => list.filter((p) => !sameTarget(p, target)));
  };

  const chatName = (chatId: string) => chats.data?.find((c) => c.chatId === chatId)?.name ?? chatId;
  const personName = (openId: string) => sandboxPeople.find((p) => p.openId === openId)?.name;
  const targetLabel = (target: SendTarget) => {
    if (target.kind === "chat_id") return `${t("cards.send.targetKinds.chat_id")}: ${chatName(target.id)}`;
    const name = target.kind === "open_id" ? personName(target.id) : undefined;
    return `${t(`cards.send.targetKinds.${target.kind}`)}: ${name ? `${name} (${target.id})` : target.id}`;
  };

  async function send(to: SendTarget[], replaceFailed: boolean) {
    if (!profile || to.length === 0) return;
    const answer = await sending.run(profile, cardText, to, requestId());
    if (answer.status !== "done") return;
    const deliveries = answer.value;
    setRows((current) => mergeDeliveries(current, deliveries, replaceFailed));
    const first = deliveries.find((d) => d.messageId);
    if (first) onSent({ messageId: first.messageId, chatId: first.chatId, appId });
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

  const failed = rows.filter((row) => row.failure).map((row) => row.target);
  const canSend = Boolean(profile) && targets.length > 0 && jsonValid && !sending.busy;

  return (
    <section className="panel form-stack" aria-labelledby={`${id}-title`} data-testid="send-panel">
      <h2 id={`${id}-title`} className="panel__title" style={{ margin: 0 }}>
        {t("cards.send.title")}
      </h2>
      <p className="muted">{t("cards.send.intro")}</p>
      <SandboxBanner sandbox={sandbox} />
      {profiles && <ProfileSelect profiles={profiles} sandbox={sandbox} testId="send-profile" />}
      <ChatTargets
        chats={chats.data ?? null}
        loading={chats.busy}
        onLoad={profile ? () => void chats.run(profile) : null}
        chosen={chosenChats}
        onChange={setChosenChats}
      />
      <PeopleTargets sandboxPeople={sandboxPeople} people={people} onChange={setPeople} />
      <TargetList targets={targets} label={targetLabel} onRemove={removeTarget} />
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
        <BusyButton testId="card-send" busy={sending.busy} busyLabel={t("cards.send.sending")} disabled={!canSend} onClick={() => void send(targets, false)}>
          {t("cards.send.send")}
        </BusyButton>
        {failed.length > 0 && (
          <button type="button" className="button button--secondary" data-testid="send-retry-failed" disabled={sending.busy} onClick={() => void send(failed, true)}>
            {t("cards.send.retryFailed")}
          </button>
        )}
      </div>
      {profile && (
        <SendResults
          profile={profile}
          deliveries={rows}
          label={(delivery) => targetLabel(delivery.target)}
          cardText={cardText}
          renderFor={renderFor}
          onUpdated={onUpdated}
        />
      )}
    </section>
  );
}

interface ChatTargetsProps {
  /** null until loaded. */
  chats: readonly BotChat[] | null;
  loading: boolean;
  /** null while there is no profile to ask. */
  onLoad: (() => void) | null;
  chosen: readonly string[];
  onChange: (chatIds: string[]) => void;
}

/** The groups the bot is in, loaded on demand, several of them chosen. */
function ChatTargets({ chats, loading, onLoad, chosen, onChange }: ChatTargetsProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="field-group">
      <legend>{t("cards.send.chats")}</legend>
      <div className="cards-row">
        <BusyButton testId="send-load-chats" secondary busy={loading} busyLabel={t("cards.send.loadingChats")} disabled={!onLoad} onClick={() => onLoad?.()}>
          {t("cards.send.loadChats")}
        </BusyButton>
      </div>
      {chats && chats.length === 0 && (
        <p className="muted" data-testid="send-chats-empty">
          {t("cards.send.noChats")}
        </p>
      )}
      {chats && chats.length > 0 && (
        <ChatPicker multiple chats={chats} values={chosen} onChange={onChange} testIdPrefix="send-chat" optionPrefix="send-chat" />
      )}
    </fieldset>
  );
}

interface PeopleTargetsProps {
  sandboxPeople: readonly SandboxPerson[];
  people: readonly SendTarget[];
  onChange: (people: SendTarget[]) => void;
}

/** People by email or Open ID, and on the sandbox its simulated people to tick. */
function PeopleTargets({ sandboxPeople, people, onChange }: PeopleTargetsProps) {
  const { t } = useTranslation();
  const [personKind, setPersonKind] = useState<PersonKind>("email");
  const [personId, setPersonId] = useState("");

  const addPerson = () => {
    const value = personId.trim();
    if (!value) return;
    const target: SendTarget = { kind: personKind, id: value };
    if (!people.some((p) => sameTarget(p, target))) onChange([...people, target]);
    setPersonId("");
  };

  const togglePerson = (openId: string) => {
    const target: SendTarget = { kind: "open_id", id: openId };
    onChange(people.some((p) => sameTarget(p, target)) ? people.filter((p) => !sameTarget(p, target)) : [...people, target]);
  };

  return (
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
  );
}

interface TargetListProps {
  targets: readonly SendTarget[];
  label: (target: SendTarget) => string;
  onRemove: (target: SendTarget) => void;
}

/** Everyone the card goes to, each with a remove button. */
function TargetList({ targets, label: targetLabel, onRemove: removeTarget }: TargetListProps) {
  const { t } = useTranslation();
  return (
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
  );
}
