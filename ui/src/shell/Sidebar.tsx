import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import appIcon from "../assets/app-icon.svg";
import { useSettings } from "../settings/SettingsContext";
import { NavIcon } from "./NavIcon";
import { SCREENS, screenPath, shortcutLabel } from "./screens";

export function Sidebar() {
  const { t } = useTranslation();
  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <img src={appIcon} alt="" width="28" height="28" />
        <div>
          <div className="sidebar__name">{t("app.name")}</div>
          <div className="sidebar__tagline">{t("app.tagline")}</div>
        </div>
      </div>
      <nav className="sidebar__nav" aria-label={t("shell.navigation")}>
        <ul>
          {SCREENS.map((screen) => {
            const label = t(`nav.${screen.id}`);
            const keys = shortcutLabel(screen.shortcutDigit);
            return (
              <li key={screen.id}>
                <NavLink
                  to={screenPath(screen.id)}
                  className="nav-link"
                  data-testid={`nav-${screen.id}`}
                  title={t("shell.shortcut", { screen: label, keys })}
                  aria-keyshortcuts={keys}
                >
                  <NavIcon screen={screen.id} />
                  <span className="nav-link__label">{label}</span>
                  <kbd className="nav-link__shortcut" aria-hidden="true">
                    {keys}
                  </kbd>
                </NavLink>
              </li>
            );
          })}
        </ul>
      </nav>
      <SidebarFooter />
    </aside>
  );
}

function SidebarFooter() {
  const { t } = useTranslation();
  const { appInfo, insideApp } = useSettings();
  const version =
    appInfo.status === "ready" ? t("shell.version", { version: appInfo.info.version }) : t("shell.versionUnknown");
  return (
    <div className="sidebar__footer">
      <div className="sidebar__app-name">{t("app.name")}</div>
      <div className="sidebar__version" data-testid="sidebar-version">
        {version}
      </div>
      {!insideApp && (
        <div className="sidebar__preview" data-testid="browser-preview-note">
          {t("shell.browserPreview")}
        </div>
      )}
    </div>
  );
}
