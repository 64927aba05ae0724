// The Cards screen: pick a template, fill it from an alert (typed in, or imported from a pasted
// payload), see and edit the card JSON with the validator's findings, preview it live, and send
// or update it. The card text in the editor is the one source of truth for the preview and for
// sending; the template re-renders it whenever the template or the alert changes, until the user
// edits the JSON by hand. The form sits on the left and the preview stays in view on the right.
// Cards are drawn in the profile's card language (else the app's), remembered per profile.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { Alert } from "../../bindings/Alert";
import type { CardCheck } from "../../bindings/CardCheck";
import type { CardKind } from "../../bindings/CardKind";
import type { CardVersion } from "../../bindings/CardVersion";
import type { Language } from "../../bindings/Language";
import type { PayloadImport } from "../../bindings/PayloadImport";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import { useErrors } from "../../errors/ErrorContext";
import { rememberProfile } from "../../lib/lastProfile";
import { defaultProfileName, useProfileList } from "../../profiles/useProfileList";
import { sampleAlert } from "./alertDraft";
import { AlertPanel } from "./AlertPanel";
import { CardEditor } from "./CardEditor";
import { PreviewPanel, type SentContext } from "./PreviewPanel";
import { SendPanel } from "./SendPanel";
import { TemplateGallery } from "./TemplateGallery";

/** The card JSON in `text`, or undefined when it does not parse (a JSON string holding a card is read once). */
function parseCard(text: string): { card: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "string") return { card: JSON.parse(value) as unknown };
    return { card: value };
  } catch {
    return undefined;
  }
}

const RENDER_DELAY_MS = 120;
const VALIDATE_DELAY_MS = 250;

export function CardDesigner() {
  const { show } = useErrors();
  const { i18n } = useTranslation();
  const [profile, setProfile] = useState<string | null>(null);
  const onLoaded = useCallback((list: ProfileSummary[], sandbox: SandboxStatus) => {
    setProfile((current) => (current && list.some((p) => p.name === current) ? current : defaultProfileName(list, sandbox)));
  }, []);
  const { profiles, sandbox, upsert } = useProfileList(onLoaded);
  const summary = profiles?.find((p) => p.name === profile) ?? null;
  /** The choice made while there is no profile to remember it in. */
  const [unsavedLanguage, setUnsavedLanguage] = useState<Language | null>(null);
  const uiLanguage: Language = i18n.resolvedLanguage === "zh-CN" ? "zh-CN" : "en";
  const language: Language = (summary ? summary.cardLanguage : unsavedLanguage) ?? uiLanguage;
  const [kind, setKind] = useState<CardKind>("triggered");
  const [version, setVersion] = useState<CardVersion>("2.0");
  const [alerts, setAlerts] = useState<Alert[]>(() => [sampleAlert()]);
  const [current, setCurrent] = useState(0);
  /** Bumped when the alerts are replaced from outside the form, so the form starts afresh. */
  const [formKey, setFormKey] = useState(0);
  const [imported, setImported] = useState<PayloadImport | null>(null);
  const [text, setText] = useState("");
  const [previewCard, setPreviewCard] = useState<unknown>(null);
  const [jsonValid, setJsonValid] = useState(true);
  const [edited, setEdited] = useState(false);
  const [check, setCheck] = useState<CardCheck | null>(null);
  const [rendering, setRendering] = useState(false);
  const [validating, setValidating] = useState(false);
  const [renderAgain, setRenderAgain] = useState(0);
  const [sent, setSent] = useState<SentContext>({});
  const renderSeq = useRef(0);
  const validateSeq = useRef(0);

  /** Puts text in the editor and, when it parses, in the preview. */
  const applyText = useCallback((next: string) => {
    setText(next);
    const parsed = parseCard(next);
    setJsonValid(parsed !== undefined);
    if (parsed) setPreviewCard(parsed.card);
  }, []);

  // Re-render from the template when the template or the alerts change (not while hand-edited).
  useEffect(() => {
    if (edited) return;
    let live = true;
    const timer = window.setTimeout(() => {
      const mine = ++renderSeq.current;
      setRendering(true);
      commands
        .renderCard({ kind, version, alerts, language })
        .then((view) => {
          if (!live) return;
          applyText(view.text);
          setCheck(view.check);
        })
        .catch((error: unknown) => live && show(error))
        .finally(() => mine === renderSeq.current && setRendering(false));
    }, RENDER_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [kind, version, alerts, language, edited, renderAgain, applyText, show]);

  // Validate hand-edited JSON as it is typed.
  useEffect(() => {
    if (!edited) return;
    let live = true;
    const timer = window.setTimeout(() => {
      const mine = ++validateSeq.current;
      setValidating(true);
      commands
        .validateCard(text)
        .then((result) => live && setCheck(result))
        .catch((error: unknown) => live && show(error))
        .finally(() => mine === validateSeq.current && setValidating(false));
    }, VALIDATE_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text, edited, show]);

  const chooseKind = (next: CardKind) => {
    setKind(next);
    setEdited(false);
    if (next !== "digest") {
      setAlerts((list) => list.map((a, i) => (i === current && a.status !== next ? { ...a, status: next } : a)));
      setFormKey((k) => k + 1);
    }
  };

  const chooseVersion = (next: CardVersion) => {
    setVersion(next);
    setEdited(false);
  };

  const chooseProfile = (name: string) => {
    rememberProfile(name);
    setProfile(name);
  };

  const chooseLanguage = (next: Language) => {
    setEdited(false);
    if (!summary) {
      setUnsavedLanguage(next);
      return;
    }
    const before = summary;
    upsert({ ...before, cardLanguage: next });
    commands.setProfileCardLanguage(before.name, next).then(upsert, (error: unknown) => {
      upsert(before);
      show(error);
    });
  };

  const changeAlert = (alert: Alert) => {
    const before = alerts[current];
    setAlerts((list) => list.map((a, i) => (i === current ? alert : a)));
    if (kind !== "digest" && before && before.status !== alert.status) {
      setKind(alert.status);
      setEdited(false);
    }
  };

  const chooseAlert = (index: number) => {
    setCurrent(index);
    setFormKey((k) => k + 1);
    const alert = alerts[index];
    if (alert && kind !== "digest") setKind(alert.status);
  };

  const onImported = (result: PayloadImport) => {
    const list = result.alerts.map((a) => a.alert);
    if (list.length === 0) return;
    setImported(result);
    setAlerts(list);
    setCurrent(0);
    setFormKey((k) => k + 1);
    setEdited(false);
    const first = list[0];
    if (first && kind !== "digest") setKind(first.status);
  };

  const resetAlert = () => {
    setImported(null);
    setAlerts([sampleAlert()]);
    setCurrent(0);
    setFormKey((k) => k + 1);
    setEdited(false);
    if (kind !== "digest") setKind("triggered");
  };

  const typeText = (next: string) => {
    setEdited(true);
    applyText(next);
  };

  const rerender = () => {
    setEdited(false);
    setRenderAgain((n) => n + 1);
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
      if (target !== "digest") {
        setAlerts((list) => list.map((a, i) => (i === current ? { ...a, status: target } : a)));
        setFormKey((k) => k + 1);
      }
      setEdited(false);
    }
    applyText(updatedText);
  };

  return (
    <div className="cards-designer" data-testid="cards-designer">
      <TemplateGallery
        kind={kind}
        version={version}
        language={language}
        onKind={chooseKind}
        onVersion={chooseVersion}
        onLanguage={chooseLanguage}
        onReloaded={rerender}
      />
      <div className="cards-workbench">
        <div className="cards-workbench__form" data-testid="cards-form-column">
          <AlertPanel
            formKey={formKey}
            alerts={alerts}
            current={current}
            imported={imported}
            onChange={changeAlert}
            onChoose={chooseAlert}
            onImported={onImported}
            onReset={resetAlert}
          />
          <CardEditor
            text={text}
            check={check}
            rendering={rendering}
            validating={validating}
            edited={edited}
            onChange={typeText}
            onRerender={rerender}
          />
          <SendPanel
            key={profile ?? ""}
            profiles={profiles}
            sandbox={sandbox}
            profile={profile}
            onProfile={chooseProfile}
            cardText={text}
            jsonValid={jsonValid}
            errors={check?.errors ?? 0}
            renderFor={renderFor}
            onUpdated={showUpdated}
            onSent={setSent}
          />
        </div>
        <div className="cards-workbench__preview" data-testid="cards-preview-column">
          <PreviewPanel card={previewCard} valid={jsonValid} sent={sent} />
        </div>
      </div>
    </div>
  );
}
