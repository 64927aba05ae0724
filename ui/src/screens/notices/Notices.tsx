// The Notifications screen: what the core's watchers raised (the last 200, newest first: time,
// profile, what happened and what to do, ongoing or when it recovered), live, and which kinds
// notify. The watchers run in the core whether or not this screen (or the window) is open.
import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { listen } from "@tauri-apps/api/event";
import * as commands from "../../api/commands";
import { isInsideApp } from "../../api/invoke";
import type { NoticeSetting } from "../../bindings/NoticeSetting";
import { ActionError } from "../../components/ActionError";
import { useCommand, useLoad } from "../../lib/useCommand";

export const NOTICES_EVENT = "notices://changed";

/** Calls `onChange` whenever a notice is raised or cleared; returns the unsubscribe. */
export function listenToNotices(onChange: () => void): () => void {
  if (!isInsideApp()) return () => {};
  let stopped = false;
  let unlisten: (() => void) | null = null;
  listen(NOTICES_EVENT, () => onChange())
    .then((u) => (stopped ? u() : (unlisten = u)))
    .catch(() => {
      /* no event bridge: the list still loads on demand */
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}

export function Notices() {
  return (
    <>
      <NoticeList />
      <NoticeSettingsPanel />
    </>
  );
}

function NoticeList() {
  const { t, i18n } = useTranslation();
  const loaded = useLoad(commands.noticeList, { inline: true });
  const { reload } = loaded;
  useEffect(() => listenToNotices(() => void reload()), [reload]);
  const notices = loaded.data;
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  return (
    <section className="panel" data-testid="notice-list">
      <h2 className="panel__title">{t("notices.title")}</h2>
      <ActionError error={loaded.error} testId="notice-list-error" summary={false} />
      {notices?.length === 0 && <p data-testid="notice-empty">{t("notices.empty")}</p>}
      {notices !== undefined && notices.length > 0 && (
        <ul className="notice-list">
          {notices.map((n) => (
            <li
              key={n.id}
              className={`notice notice--${n.clearedAt ? "cleared" : "ongoing"}`}
              data-testid={`notice-${n.id}`}
              data-kind={n.kind}
              data-ongoing={String(n.clearedAt === null)}
            >
              <div className="notice__head">
                <strong>{t(`notices.kinds.${n.kind}.title`, n.params)}</strong>
                <span className="badge">{n.profile}</span>
                <time dateTime={n.raisedAt}>{time(n.raisedAt)}</time>
                <span className={`status-badge status-badge--${n.clearedAt ? "pass" : "fail"}`}>
                  {n.clearedAt ? t("notices.cleared", { time: time(n.clearedAt) }) : t("notices.ongoing")}
                </span>
              </div>
              <p className="field__hint">{t(`notices.kinds.${n.kind}.body`, n.params)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NoticeSettingsPanel() {
  const { t } = useTranslation();
  const id = useId();
  const loaded = useLoad(commands.noticeSettings, { inline: true });
  const saving = useCommand(commands.setNoticeEnabled, { inline: true });
  const settings: NoticeSetting[] | undefined = saving.data ?? loaded.data;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="notice-settings">
      <h2 id={`${id}-title`} className="panel__title">
        {t("notices.settings.title")}
      </h2>
      <p className="field__hint">{t("notices.settings.intro")}</p>
      {!settings && !loaded.error && (
        <p className="muted" role="status" data-testid="notice-settings-loading">
          {t("common.loading")}
        </p>
      )}
      {settings?.map((s) => (
        <label key={s.kind} className="radio notice-setting">
          <input
            type="checkbox"
            data-testid={`notice-kind-${s.kind}`}
            checked={s.enabled}
            disabled={saving.busy}
            onChange={(e) => void saving.run(s.kind, e.target.checked)}
          />{" "}
          {t(`notices.settingLabels.${s.kind}`)}
        </label>
      ))}
      <ActionError error={loaded.error ?? saving.error} testId="notice-settings-error" summary={false} />
    </section>
  );
}
