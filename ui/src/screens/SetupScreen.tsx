import { ScreenLayout } from "./ScreenLayout";
import { SetupWizard } from "./setup/SetupWizard";

export function SetupScreen() {
  return (
    <ScreenLayout screen="setup">
      <SetupWizard />
    </ScreenLayout>
  );
}
