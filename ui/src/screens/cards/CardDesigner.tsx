// The Cards screen: pick a template, fill it from an alert (typed in, or imported from a pasted
// payload), see and edit the card JSON with the validator's findings, preview it live, and send
// or update it. The card text in the editor is the one source of truth for the preview and for
// sending; the template re-renders it whenever the template or the alert changes, until the user
// edits the JSON by hand. The form sits on the left and the preview stays in view on the right.
// Cards are drawn in the profile's card language (else the app's), remembered per profile.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { Alert } from "../../bindings/Alert";
import type { CardKind } from "../../bindings/CardKind";
import type { CardVersion } from "../../bindings/CardVersion";
import type { Language } from "../../bindings/Language";
import type { PayloadImport } from "../../bindings/PayloadImport";
import { useErrors } from "../../errors/ErrorContext";
import { useChosenProfile } from "../../profiles/CurrentProfile";
import { useProfileList, type ProfileList } from "../../profiles/useProfileList";
import { sampleAlert } from "./alertDraft";
import { AlertPanel } from "./AlertPanel";
import { CardEditor } from "./CardEditor";
import { PreviewPanel, type SentContext } from "./PreviewPanel";
import { SendPanel } from "./SendPanel";
import { TemplateGallery } from "./TemplateGallery";
import { useCardText } from "./useCardText";

/** The alerts the card is drawn from, which one the form shows, and where they came from. */
interface AlertDraft {
  alerts: Alert[];
  current: number;
  /** Bumped when the alerts are replaced from outside the form, so the form starts afresh. */
  formKey: number;
  imported: PayloadImport | null;
}

const SAMPLE_DRAFT: AlertDraft = { alerts: [sampleAlert()], current: 0, formKey: 0, imported: null };

/** The current alert with `status`, the form started afresh. */
function withStatus(draft: AlertDraft, status: Alert["status"]): AlertDraft {
  const alerts = draft.alerts.map((a, i) => (i === draft.current && a.status !== status ? { ...a, status } : a));
  return { ...draft, alerts, formKey: draft.formKey + 1 };
}

/** The card language of the profile (else the one chosen while there is no profile, else the app's). */
function useCardLanguage(list: ProfileList, profile: string | null) {
  const { show } = useErrors();
  const { i18n } = useTranslation();
  const summary = list.profiles?.find((p) => p.name === profile) ?? null;
  /** The choice made while there is no profile to remember it in. */
  const [unsaved, setUnsaved] = useState<Language | null>(null);
  const uiLanguage: Language = i18n.resolvedLanguage === "zh-CN" ? "zh-CN" : "en";
  const language: Language = (summary ? summary.cardLanguage : unsaved) ?? uiLanguage;

  const choose = (next: Language) => {
    if (!summary) {
      setUnsaved(next);
      return;
    }
    const before = summary;
    list.upsert({ ...before, cardLanguage: next });
    commands.setProfileCardLanguage(before.name, next).then(list.upsert, (error: unknown) => {
      list.upsert(before);
      show(error);
    });
  };
  return { language, choose };
}

export function CardDesigner() {
  const list = useProfileList();
  const { profiles, sandbox } = list;
  const [profile] = useChosenProfile(profiles, sandbox);
  const { language, choose: chooseLanguage } = useCardLanguage(list, profile);
  const [kind, setKind] = useState<CardKind>("triggered");
  const [version, setVersion] = useState<CardVersion>("2.0");
  const [draft, setDraft] = useState<AlertDraft>(SAMPLE_DRAFT);
  const [sent, setSent] = useState<SentContext>({});
  const { alerts, current } = draft;
  const card = useCardText({ kind, version, alerts, language });

  const chooseKind = (next: CardKind) => {
    setKind(next);
    card.release();
    if (next !== "digest") setDraft((d) => withStatus(d, next));
  };

  const chooseVersion = (next: CardVersion) => {
    setVersion(next);
    card.release();
  };

  const changeAlert = (alert: Alert) => {
    const before = alerts[current];
    setDraft((d) => ({ ...d, alerts: d.alerts.map((a, i) => (i === d.current ? alert : a)) }));
    if (kind !== "digest" && before && before.status !== alert.status) {
      setKind(alert.status);
      card.release();
    }
  };

  const chooseAlert = (index: number) => {
    setDraft((d) => ({ ...d, current: index, formKey: d.formKey + 1 }));
    const alert = alerts[index];
    if (alert && kind !== "digest") setKind(alert.status);
  };

  const onImported = (result: PayloadImport) => {
    const list = result.alerts.map((a) => a.alert);
    if (list.length === 0) return;
    setDraft((d) => ({ alerts: list, current: 0, formKey: d.formKey + 1, imported: result }));
    card.release();
    const first = list[0];
    if (first && kind !== "digest") setKind(first.status);
  };

  const resetAlert = () => {
    setDraft((d) => ({ ...SAMPLE_DRAFT, alerts: [sampleAlert()], formKey: d.formKey + 1 }));
    card.release();
    if (kind !== "digest") setKind("triggered");
  };

  /** The card for `target` from the template, for updating a sent message. */
  const renderFor = async (target: CardKind): Promise<string> => {
    const view = await commands.renderCard({ kind: target, version, alerts, language });
    return view.text;
  };

  /** After a sent card was updated: the editor shows what recipients now see. */
  const showUpdated = (target: CardKind | null, updatedText: string) => {
    if (target) {
      setKind(target);
      if (target !== "digest") setDraft((d) => withStatus(d, target));
      card.release();
    }
    card.show(updatedText);
  };

  return (
    <div className="cards-designer" data-testid="cards-designer">
      <TemplateGallery
        kind={kind}
        version={version}
        language={language}
        onKind={chooseKind}
        onVersion={chooseVersion}
        onLanguage={(next) => {
          card.release();
          chooseLanguage(next);
        }}
        onReloaded={card.rerender}
      />
      <div className="cards-workbench">
        <div className="cards-workbench__form" data-testid="cards-form-column">
          <AlertPanel
            formKey={draft.formKey}
            alerts={alerts}
            current={current}
            imported={draft.imported}
            onChange={changeAlert}
            onChoose={chooseAlert}
            onImported={onImported}
            onReset={resetAlert}
          />
          <CardEditor
            text={card.text}
            check={card.check}
            rendering={card.rendering}
            validating={card.validating}
            edited={card.edited}
            onChange={card.type}
            onRerender={card.rerender}
          />
          <SendPanel
            key={profile ?? ""}
            profiles={profiles}
            sandbox={sandbox}
            profile={profile}
            cardText={card.text}
            jsonValid={card.jsonValid}
            errors={card.check?.errors ?? 0}
            renderFor={renderFor}
            onUpdated={showUpdated}
            onSent={setSent}
          />
        </div>
        <div className="cards-workbench__preview" data-testid="cards-preview-column">
          <PreviewPanel card={card.previewCard} valid={card.jsonValid} sent={sent} />
        </div>
      </div>
    </div>
  );
}
