import { HashRouter } from "react-router";
import { ErrorProvider } from "./errors/ErrorContext";
import { SettingsProvider } from "./settings/SettingsContext";
import { AppShell } from "./shell/AppShell";

export function App() {
  return (
    <ErrorProvider>
      <SettingsProvider>
        <HashRouter>
          <AppShell />
        </HashRouter>
      </SettingsProvider>
    </ErrorProvider>
  );
}
