import { useTranslation } from "react-i18next";
import type { Language } from "../bindings/Language";
import type { Theme } from "../bindings/Theme";
import { useSettings } from "../settings/SettingsContext";
import { BackgroundPanel } from "./settings/BackgroundPanel";
import { ProfilesPanel } from "./settings/ProfilesPanel";
import { ProxyPanel } from "./settings/ProxyPanel";

/** The Settings screen's body (its heading comes from the screens table, shell/screens.ts). */
export function SettingsPanels() {
  const { t } = useTranslation();
  return (
    <>
      <section className="panel">
        <h2 className="panel__title">{t("settings.appearance")}</h2>
        <div className="form-grid">
          <LanguageField />
          <ThemeField />
        </div>
      </section>
      <BackgroundPanel />
      <ProxyPanel />
      <ProfilesPanel />
      <AboutBox />
    </>
  );
}

/** "system" in the select stands for `null`: follow the OS language. */
const FOLLOW_SYSTEM = "system";

function LanguageField() {
  const { t } = useTranslation();
  const { settings, changeLanguage } = useSettings();
  return (
    <>
      <label htmlFor="language-select">{t("settings.language.label")}</label>
      <select
        id="language-select"
        data-testid="language-select"
        value={settings.language ?? FOLLOW_SYSTEM}
        onChange={(event) => {
          const value = event.target.value;
          changeLanguage(value === FOLLOW_SYSTEM ? null : (value as Language));
        }}
      >
        <option value={FOLLOW_SYSTEM}>{t("settings.language.system")}</option>
        <option value="en" lang="en">
          {t("settings.language.en")}
        </option>
        <option value="zh-CN" lang="zh-CN">
          {t("settings.language.zhCN")}
        </option>
      </select>
    </>
  );
}

function ThemeField() {
  const { t } = useTranslation();
  const { settings, changeTheme } = useSettings();
  return (
    <>
      <label htmlFor="theme-select">{t("settings.theme.label")}</label>
      <select
        id="theme-select"
        data-testid="theme-select"
        value={settings.theme}
        onChange={(event) => changeTheme(event.target.value as Theme)}
      >
        <option value="system">{t("settings.theme.system")}</option>
        <option value="light">{t("settings.theme.light")}</option>
        <option value="dark">{t("settings.theme.dark")}</option>
      </select>
    </>
  );
}

function AboutBox() {
  const { t } = useTranslation();
  const { appInfo } = useSettings();
  return (
    <section className="panel" data-testid="about-box">
      <h2 className="panel__title">{t("settings.about.title")}</h2>
      {appInfo.status === "ready" ? (
        <dl className="facts">
          <Fact label={t("settings.about.version")} value={appInfo.info.version} testId="about-version" />
          <Fact label={t("settings.about.dataDir")} value={appInfo.info.dataDir} testId="about-data-dir" />
          <Fact label={t("settings.about.logDir")} value={appInfo.info.logDir} testId="about-log-dir" />
          <Fact
            label={t("settings.about.databaseVersion")}
            value={String(appInfo.info.databaseVersion)}
            testId="about-database-version"
          />
        </dl>
      ) : (
        <p className="muted" data-testid="about-status">
          {appInfo.status === "loading" ? t("settings.about.loading") : t("settings.about.unavailable")}
        </p>
      )}
    </section>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="facts__value" data-testid={testId}>
        {value}
      </dd>
    </>
  );
}
