import { HashRouter } from "react-router";
import { ErrorProvider } from "./errors/ErrorContext";
import { CurrentProfileProvider } from "./profiles/CurrentProfile";
import { SettingsProvider } from "./settings/SettingsContext";
import { AppShell } from "./shell/AppShell";

export function App() {
  return (
    <ErrorProvider>
      <SettingsProvider>
        <CurrentProfileProvider>
          <HashRouter>
            <AppShell />
          </HashRouter>
        </CurrentProfileProvider>
      </SettingsProvider>
    </ErrorProvider>
  );
}
