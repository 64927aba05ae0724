// The live preview (light or dark, desktop or mobile width) and, beside it, what a click on the
// card would do: the card.action.trigger callback Feishu/Lark would send, or the link it opens.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { cardActionCallback, type CardAction } from "../../cards/callback";
import { CardPreview, type PreviewTheme, type PreviewWidth } from "../../cards/CardPreview";
import { CopyButton } from "../../components/CopyButton";

/** The last card sent from this screen, so the callback can name its message and chat. */
export interface SentContext {
  messageId?: string;
  chatId?: string;
  appId?: string;
}

interface PreviewPanelProps {
  card: unknown;
  valid: boolean;
  sent: SentContext;
}

interface Clicked {
  action: CardAction;
  at: number;
}

export function PreviewPanel({ card, valid, sent }: PreviewPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const [theme, setTheme] = useState<PreviewTheme>("light");
  const [width, setWidth] = useState<PreviewWidth>("desktop");
  const [clicked, setClicked] = useState<Clicked | null>(null);
  // A click belongs to the card it was made on: a new card clears the panel.
  const [clickedOn, setClickedOn] = useState<unknown>(card);
  if (clickedOn !== card) {
    setClickedOn(card);
    setClicked(null);
  }

  const labels = {
    imageNotFetched: t("cards.preview.imageNotFetched"),
    notDrawn: t("cards.preview.notDrawn"),
    confirm: t("cards.preview.confirm"),
    cancel: t("cards.preview.cancel"),
    emptyCard: t("cards.preview.emptyCard"),
    select: t("cards.preview.select"),
    selectPerson: t("cards.preview.selectPerson"),
    selectDate: t("cards.preview.selectDate"),
    selectTime: t("cards.preview.selectTime"),
    selectDateTime: t("cards.preview.selectDateTime"),
    chart: t("cards.preview.chart"),
    more: t("cards.preview.more"),
  };

  const callback =
    clicked?.action.kind === "callback"
      ? JSON.stringify(cardActionCallback(clicked.action, { now: clicked.at, ...sent }), null, 2)
      : null;

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="preview-panel">
      <div className="cards-row" style={{ marginBottom: 12 }}>
        <h2 id={`${id}-title`} className="panel__title" style={{ margin: 0 }}>
          {t("cards.preview.title")}
        </h2>
        <fieldset className="cards-segmented">
          <legend className="visually-hidden">{t("cards.preview.theme")}</legend>
          {(["light", "dark"] as const).map((value) => (
            <label key={value} data-testid={`preview-theme-${value}`} data-checked={theme === value}>
              <input type="radio" name={`${id}-theme`} checked={theme === value} onChange={() => setTheme(value)} />
              {t(`cards.preview.${value}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="cards-segmented">
          <legend className="visually-hidden">{t("cards.preview.width")}</legend>
          {(["desktop", "mobile"] as const).map((value) => (
            <label key={value} data-testid={`preview-width-${value}`} data-checked={width === value}>
              <input type="radio" name={`${id}-width`} checked={width === value} onChange={() => setWidth(value)} />
              {t(`cards.preview.${value}`)}
            </label>
          ))}
        </fieldset>
      </div>
      {!valid && (
        <p className="field__warning" role="status" data-testid="preview-invalid">
          {t("cards.preview.invalid")}
        </p>
      )}
      <div className="cards-preview">
        <div className="cards-preview__stage" data-testid="preview-stage" data-theme={theme}>
          {card !== null && (
            <CardPreview card={card} theme={theme} width={width} labels={labels} onAction={(action) => setClicked({ action, at: Date.now() })} />
          )}
        </div>
        <aside className="cards-callback" aria-labelledby={`${id}-callback`} data-testid="card-callback" aria-live="polite">
          <h3 id={`${id}-callback`} className="panel__title">
            {t("cards.callback.title")}
          </h3>
          {!clicked && (
            <p className="muted" data-testid="card-callback-empty">
              {t("cards.callback.empty")}
            </p>
          )}
          {clicked?.action.kind === "open_url" && (
            <p data-testid="card-callback-url">{t("cards.callback.openUrl", { url: clicked.action.url })}</p>
          )}
          {callback && clicked && (
            <>
              <p>{t("cards.callback.callback")}</p>
              {clicked.action.url && <p data-testid="card-callback-url">{t("cards.callback.alsoOpens", { url: clicked.action.url })}</p>}
              <pre data-testid="card-callback-json" tabIndex={0} role="region" aria-label={t("cards.callback.title")}>
                {callback}
              </pre>
              <p className="muted" style={{ marginTop: 6, fontSize: 12 }}>
                {t("cards.callback.placeholders")}
              </p>
              <CopyButton value={callback} testId="card-callback-copy" what={t("cards.callback.copy")} />
            </>
          )}
        </aside>
      </div>
    </section>
  );
}
