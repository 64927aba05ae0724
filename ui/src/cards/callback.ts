// What clicking something in the preview would make Feishu/Lark do: send a `card.action.trigger`
// callback to the app's request URL (with the button's value), or open a link. The callback is
// shown exactly as the platform shapes it (schema 2.0 envelope, before encryption), with
// placeholders where only a real click knows the value.

/** A click in the preview. */
export interface CardAction {
  /** `callback`: Feishu calls the app back; `open_url`: the client opens a link, no callback. */
  kind: "callback" | "open_url";
  /** The component that was clicked: `button`, `overflow`, `interactive_container`, `link`. */
  tag: string;
  /** The callback value (the button's `value` / the callback behaviour's `value`). */
  value?: unknown;
  /** The link that opens (alone, or together with a callback). */
  url?: string;
  /** The component's `name` (2.0 forms and buttons), when set. */
  name?: string;
  /** The JSON path of the clicked component. */
  path: string;
  /** What the user clicked, for the side panel. */
  label: string;
}

export interface CallbackContext {
  /** The message the card was sent as, when it has been sent from this screen. */
  messageId?: string;
  chatId?: string;
  appId?: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Placeholders for values only a real click knows. */
export const PLACEHOLDER = {
  eventId: "<event id, new for every click>",
  token: "<your Verification Token>",
  tenantKey: "<tenant key>",
  appId: "<App ID>",
  openId: "ou_<the person who clicked>",
  userId: "<their user ID>",
  unionId: "on_<their union ID>",
  updateToken: "c-<card update token, valid 30 minutes>",
  messageId: "om_<the sent card's message ID>",
  chatId: "oc_<the chat it was sent to>",
} as const;

/** The plaintext body of the `card.action.trigger` callback Feishu/Lark would send. */
export function cardActionCallback(action: CardAction, ctx: CallbackContext): Record<string, unknown> {
  const act: Record<string, unknown> = { value: action.value ?? {}, tag: action.tag };
  if (action.name) act.name = action.name;
  return {
    schema: "2.0",
    header: {
      event_id: PLACEHOLDER.eventId,
      token: PLACEHOLDER.token,
      create_time: String(ctx.now),
      event_type: "card.action.trigger",
      tenant_key: PLACEHOLDER.tenantKey,
      app_id: ctx.appId || PLACEHOLDER.appId,
    },
    event: {
      operator: {
        tenant_key: PLACEHOLDER.tenantKey,
        user_id: PLACEHOLDER.userId,
        open_id: PLACEHOLDER.openId,
        union_id: PLACEHOLDER.unionId,
      },
      token: PLACEHOLDER.updateToken,
      action: act,
      host: "im_message",
      context: {
        open_message_id: ctx.messageId || PLACEHOLDER.messageId,
        open_chat_id: ctx.chatId || PLACEHOLDER.chatId,
      },
    },
  };
}
