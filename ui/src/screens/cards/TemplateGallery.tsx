// The four templates, the card JSON structure (2.0 by default, 1.0 on request), the card's
// language, and the folder where copies of the templates can be edited.
import { useCallback, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { CardKind } from "../../bindings/CardKind";
import type { CardVersion } from "../../bindings/CardVersion";
import type { Language } from "../../bindings/Language";
import type { TemplateList } from "../../bindings/TemplateList";
import { headerColours } from "../../cards/palette";
import { BusyButton } from "../../components/BusyButton";
import { useErrors } from "../../errors/ErrorContext";
import { CARD_KINDS } from "./alertDraft";

/** The colour a template's header usually takes (a triggered card follows the severity). */
const SWATCH: Record<CardKind, Parameters<typeof headerColours>[0]> = {
  triggered: "red",
  acknowledged: "yellow",
  resolved: "green",
  digest: "orange",
};

interface TemplateGalleryProps {
  kind: CardKind;
  version: CardVersion;
  /** The language the templates write the card in. */
  language: Language;
  onKind: (kind: CardKind) => void;
  onVersion: (version: CardVersion) => void;
  onLanguage: (language: Language) => void;
  /** The templates on disk may have changed: render the card again. */
  onReloaded: () => void;
}

const CARD_LANGUAGES: readonly { value: Language; key: string }[] = [
  { value: "en", key: "settings.language.en" },
  { value: "zh-CN", key: "settings.language.zhCN" },
];

export function TemplateGallery({ kind, version, language, onKind, onVersion, onLanguage, onReloaded }: TemplateGalleryProps) {
  const { t } = useTranslation();
  const { show, reloadToken } = useErrors();
  const [list, setList] = useState<TemplateList | null>(null);
  const [exporting, setExporting] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const schemaName = useId();
  const languageName = useId();

  const load = useCallback(() => {
    commands.listCardTemplates().then(setList).catch(show);
  }, [show]);

  // reloadToken: read again once the cause of a failure went away (the banner's Retry).
  useEffect(load, [load, reloadToken]);

  async function exportTemplates() {
    setExporting(true);
    setNote(null);
    try {
      const result = await commands.exportCardTemplates();
      setNote(result.written.length > 0 ? t("cards.gallery.exported", { count: result.written.length }) : t("cards.gallery.exportedNone"));
      load();
      onReloaded();
    } catch (error) {
      show(error);
    } finally {
      setExporting(false);
    }
  }

  const origin = (k: CardKind) => list?.templates.find((tpl) => tpl.kind === k && tpl.version === version)?.origin;

  return (
    <section className="panel" aria-labelledby="cards-gallery-title" data-testid="cards-gallery">
      <div className="cards-row">
        <h2 id="cards-gallery-title" className="panel__title">
          {t("cards.gallery.title")}
        </h2>
        <fieldset className="cards-segmented" data-testid="schema-choice">
          <legend className="visually-hidden">{t("cards.gallery.schema")}</legend>
          {(["2.0", "1.0"] as const).map((v) => (
            <label key={v} data-testid={`schema-${v === "2.0" ? "2" : "1"}`} data-checked={version === v}>
              <input type="radio" name={schemaName} checked={version === v} onChange={() => onVersion(v)} />
              {v === "2.0" ? t("cards.gallery.schema2") : t("cards.gallery.schema1")}
            </label>
          ))}
        </fieldset>
        <span className="cards-language" title={t("cards.gallery.languageHint")}>
          <span className="muted" aria-hidden="true">
            {t("cards.gallery.language")}
          </span>
          <fieldset className="cards-segmented" data-testid="card-language" aria-describedby={`${languageName}-hint`}>
            <legend className="visually-hidden">{t("cards.gallery.language")}</legend>
            {CARD_LANGUAGES.map((l) => (
              <label key={l.value} data-testid={`card-language-${l.value}`} data-checked={language === l.value}>
                <input type="radio" name={languageName} checked={language === l.value} onChange={() => onLanguage(l.value)} />
                {t(l.key)}
              </label>
            ))}
          </fieldset>
          <span id={`${languageName}-hint`} className="visually-hidden">
            {t("cards.gallery.languageHint")}
          </span>
        </span>
      </div>
      <div className="cards-gallery" role="group" aria-label={t("cards.gallery.title")}>
        {CARD_KINDS.map((k) => {
          const from = origin(k);
          return (
            <button
              key={k}
              type="button"
              className="cards-tile"
              data-testid={`template-${k}`}
              aria-pressed={kind === k}
              onClick={() => onKind(k)}
            >
              <span className="cards-tile__swatch" style={{ background: headerColours(SWATCH[k], false).background }} aria-hidden="true" />
              <span className="cards-tile__name">{t(`cards.gallery.kinds.${k}`)}</span>
              <span className="cards-tile__origin muted">{t(`cards.gallery.hints.${k}`)}</span>
              {from && (
                <span className="cards-tile__origin" data-testid={`template-origin-${k}`} data-origin={from.kind}>
                  {from.kind === "user" ? t("cards.gallery.userCopy") : t("cards.gallery.builtin")}
                </span>
              )}
            </button>
          );
        })}
      </div>
      {list && (
        <div className="cards-row" style={{ marginTop: 12 }}>
          <span className="muted" data-testid="templates-folder" title={t("cards.gallery.folderHint")}>
            {t("cards.gallery.folder", { folder: list.folder })}
          </span>
          <BusyButton testId="templates-export" secondary busy={exporting} busyLabel={t("cards.gallery.exporting")} onClick={() => void exportTemplates()}>
            {t("cards.gallery.export")}
          </BusyButton>
          <button type="button" className="button button--secondary" data-testid="templates-reload" onClick={() => {
              load();
              onReloaded();
            }}>
            {t("cards.gallery.reload")}
          </button>
        </div>
      )}
      {note && (
        <p className="saved-note" role="status" data-testid="templates-exported">
          {note}
        </p>
      )}
    </section>
  );
}
