// What the tray and the window's close ask of the window: the first close while a relay runs
// asks whether to keep it running in the tray or quit (remembered; Settings changes it), and
// the tray's "Open the inspector" shows the Relay screen for its profile.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import * as commands from "../api/commands";
import type { CloseAction } from "../bindings/CloseAction";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useErrors } from "../errors/ErrorContext";
import { useCurrentProfile } from "../profiles/CurrentProfile";
import { useSettings } from "../settings/SettingsContext";
import { CLOSE_ASKED_EVENT, OPEN_RELAY_EVENT, onAppEvent } from "./appEvents";
import { screenPath } from "./screens";

export function TrayBridge() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { choose } = useCurrentProfile();
  const { show } = useErrors();
  const { settings, replaceSettings } = useSettings();
  const [asked, setAsked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => onAppEvent<string>(CLOSE_ASKED_EVENT, setAsked), []);
  useEffect(
    () =>
      onAppEvent<string>(OPEN_RELAY_EVENT, (profile) => {
        choose(profile);
        void navigate(screenPath("relay"));
      }),
    [choose, navigate],
  );

  if (asked === null) return null;

  async function answer(action: CloseAction) {
    setBusy(true);
    try {
      replaceSettings({ ...settings, closeAction: action });
      await commands.closeWindowChoice(action, true);
      setAsked(null);
    } catch (err) {
      show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={t("closeAsk.title")}
      confirmLabel={t("closeAsk.tray")}
      onConfirm={() => void answer("tray")}
      onCancel={() => setAsked(null)}
      busy={busy}
      secondary={{ label: t("closeAsk.quit"), onClick: () => void answer("quit"), testId: "close-ask-quit" }}
      testId="close-ask"
    >
      <p>{t("closeAsk.body", { profile: asked })}</p>
    </ConfirmDialog>
  );
}
