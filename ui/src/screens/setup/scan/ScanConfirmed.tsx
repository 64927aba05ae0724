// The scan is confirmed: the app exists and is saved as the profile, its App Secret in the
// keychain. The App ID and a Copy for the App Secret (read from the keychain, never shown),
// then on to the integration form.
import { useTranslation } from "react-i18next";
import type { ProfileSummary } from "../../../bindings/ProfileSummary";
import { CopyButton } from "../../../components/CopyButton";
import { useWizard } from "../WizardContext";

export function ScanConfirmed({ profile, lark }: { profile: ProfileSummary; lark: boolean }) {
  const { t } = useTranslation();
  const { goTo } = useWizard();
  return (
    <div className="scan" data-testid="scan-confirmed">
      <p className="notice notice--success" role="status" data-testid="scan-state">
        {t("setup.scan.confirmed", { name: profile.name })}
        {lark && <> {t("setup.scan.larkSaved")}</>}
      </p>
      <table className="value-table">
        <tbody>
          <tr>
            <th scope="row">App ID</th>
            <td className="mono" data-testid="scan-app-id">
              {profile.appId}
            </td>
            <td>
              <CopyButton value={profile.appId} testId="scan-copy-app-id" what="App ID" />
            </td>
          </tr>
          <tr>
            <th scope="row">App Secret</th>
            <td className="muted">{t("setup.integration.fromKeychain")}</td>
            <td>
              <CopyButton value="" profileSecret={{ name: profile.name, kind: "appSecret" }} testId="scan-copy-app-secret" what="App Secret" />
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted">{t("setup.scan.nextHint")}</p>
      <div className="actions">
        <button type="button" className="button" data-testid="scan-continue" onClick={() => goTo("integration")}>
          {t("setup.scan.continue")}
        </button>
      </div>
    </div>
  );
}
