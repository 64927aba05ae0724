// A searchable list of the groups the bot is in: one choice as radio buttons (arrow keys move
// between them), or several as checkboxes (`multiple`). The search only narrows what is shown:
// choices hidden by it stay chosen.
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BotChat } from "../bindings/BotChat";

interface CommonProps {
  chats: readonly BotChat[];
  /**
   * Prefix of the test ids: `<prefix>-search`, `<prefix>-no-match`, `<prefix>-list` and the
   * options `<optionPrefix>-<chatId>` / `<optionPrefix>-none`.
   */
  testIdPrefix: string;
  /** Prefix of the options' test ids; `<testIdPrefix>-option` unless given. */
  optionPrefix?: string;
}

interface SingleProps extends CommonProps {
  multiple?: false;
  value: string | null;
  onChange: (chatId: string | null) => void;
  /** Offer "no group" as the first choice. */
  noneLabel?: string;
}

interface MultipleProps extends CommonProps {
  multiple: true;
  values: readonly string[];
  onChange: (chatIds: string[]) => void;
}

export type ChatPickerProps = SingleProps | MultipleProps;

function matching(chats: readonly BotChat[], query: string): readonly BotChat[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return chats;
  return chats.filter(
    (chat) =>
      chat.name.toLowerCase().includes(needle) ||
      chat.description.toLowerCase().includes(needle) ||
      chat.chatId.toLowerCase().includes(needle),
  );
}

export function ChatPicker(props: ChatPickerProps) {
  const { chats, testIdPrefix } = props;
  const optionPrefix = props.optionPrefix ?? `${testIdPrefix}-option`;
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const searchId = useId();
  const groupName = useId();
  const shown = useMemo(() => matching(chats, query), [chats, query]);

  const isChosen = (chatId: string) => (props.multiple ? props.values.includes(chatId) : props.value === chatId);
  const toggle = (chatId: string) => {
    if (!props.multiple) return props.onChange(chatId);
    const { values, onChange } = props;
    onChange(values.includes(chatId) ? values.filter((c) => c !== chatId) : [...values, chatId]);
  };

  return (
    <div className="chat-picker">
      <div className="field">
        <label htmlFor={searchId}>{t("chats.search")}</label>
        <input
          id={searchId}
          type="search"
          className="input"
          data-testid={`${testIdPrefix}-search`}
          value={query}
          placeholder={t("chats.searchPlaceholder")}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <fieldset className="chat-picker__list" data-testid={`${testIdPrefix}-list`}>
        <legend className="visually-hidden">{t("chats.legend")}</legend>
        {!props.multiple && props.noneLabel && (
          <label className="chat-option">
            <input
              type="radio"
              name={groupName}
              data-testid={`${optionPrefix}-none`}
              checked={props.value === null}
              onChange={() => props.onChange(null)}
            />
            <span>{props.noneLabel}</span>
          </label>
        )}
        {shown.map((chat) => (
          <label key={chat.chatId} className="chat-option">
            <input
              type={props.multiple ? "checkbox" : "radio"}
              name={props.multiple ? undefined : groupName}
              value={chat.chatId}
              data-testid={`${optionPrefix}-${chat.chatId}`}
              checked={isChosen(chat.chatId)}
              onChange={() => toggle(chat.chatId)}
            />
            <span className="chat-option__name">{chat.name}</span>
            {chat.description && <span className="chat-option__description muted">{chat.description}</span>}
          </label>
        ))}
        {shown.length === 0 && (
          <p className="muted" data-testid={`${testIdPrefix}-no-match`}>
            {t("chats.noMatch")}
          </p>
        )}
      </fieldset>
    </div>
  );
}
