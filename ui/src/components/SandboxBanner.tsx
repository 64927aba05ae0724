import { useTranslation } from "react-i18next";
import type { SandboxStatus } from "../bindings/SandboxStatus";

/** Says plainly that the app talks to the built-in simulated tenant, not to Feishu or Lark. */
export function SandboxBanner({ sandbox }: { sandbox: SandboxStatus }) {
  const { t } = useTranslation();
  if (!sandbox.active) return null;
  return (
    <div className="sandbox-banner" role="note" data-testid="sandbox-banner">
      <strong>{t("sandbox.banner")}</strong>
      {sandbox.profile && <span className="muted"> {t("sandbox.profile", { name: sandbox.profile })}</span>}
    </div>
  );
}
