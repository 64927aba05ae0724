import { useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { ErrorBanner } from "../errors/ErrorBanner";
import { ScreenPage } from "./ScreenPage";
import { SCREENS, screenPath } from "./screens";
import { Sidebar } from "./Sidebar";
import { TrayBridge } from "./TrayBridge";
import { useScreenShortcuts } from "./useScreenShortcuts";

export function AppShell() {
  const { t } = useTranslation();
  useScreenShortcuts();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();

  // Each screen starts at its top: the scroll position of the previous one means nothing here.
  useLayoutEffect(() => {
    if (main.current) main.current.scrollTop = 0;
  }, [pathname]);

  return (
    <div className="app-shell">
      {/* A button, not an anchor: a "#fragment" would be taken as a route by the hash router. */}
      <button
        type="button"
        className="skip-link"
        data-testid="skip-to-content"
        onClick={() => document.getElementById("main-content")?.focus()}
      >
        {t("shell.skipToContent")}
      </button>
      <Sidebar />
      <TrayBridge />
      <main ref={main} className="app-main" id="main-content" tabIndex={-1}>
        <ErrorBanner />
        <Routes>
          {SCREENS.map(({ id }) => (
            <Route key={id} path={screenPath(id)} element={<ScreenPage id={id} />} />
          ))}
          <Route path="*" element={<Navigate to="/setup" replace />} />
        </Routes>
      </main>
    </div>
  );
}
