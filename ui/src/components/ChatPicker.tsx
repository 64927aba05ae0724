// A searchable list of the groups the bot is in, as radio buttons (arrow keys move between them).
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BotChat } from "../bindings/BotChat";

interface ChatPickerProps {
  chats: readonly BotChat[];
  value: string | null;
  onChange: (chatId: string | null) => void;
  /** Prefix of the test ids: `<prefix>-search`, `<prefix>-option-<chatId>`, `<prefix>-option-none`. */
  testIdPrefix: string;
  /** Offer "no group" as the first choice. */
  noneLabel?: string;
}

export function ChatPicker({ chats, value, onChange, testIdPrefix, noneLabel }: ChatPickerProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const searchId = useId();
  const groupName = useId();
  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle) return chats;
    return chats.filter(
      (chat) =>
        chat.name.toLowerCase().includes(needle) ||
        chat.description.toLowerCase().includes(needle) ||
        chat.chatId.toLowerCase().includes(needle),
    );
  }, [chats, query]);

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
      <fieldset className="chat-picker__list">
        <legend className="visually-hidden">{t("chats.legend")}</legend>
        {noneLabel && (
          <label className="chat-option">
            <input
              type="radio"
              name={groupName}
              data-testid={`${testIdPrefix}-option-none`}
              checked={value === null}
              onChange={() => onChange(null)}
            />
            <span>{noneLabel}</span>
          </label>
        )}
        {shown.map((chat) => (
          <label key={chat.chatId} className="chat-option">
            <input
              type="radio"
              name={groupName}
              value={chat.chatId}
              data-testid={`${testIdPrefix}-option-${chat.chatId}`}
              checked={value === chat.chatId}
              onChange={() => onChange(chat.chatId)}
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
