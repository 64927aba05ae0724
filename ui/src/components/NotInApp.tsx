import { useTranslation } from "react-i18next";

/** In a plain browser (`npm run dev`) there is no Rust side to ask, so screens say so instead. */
export function NotInApp() {
  const { t } = useTranslation();
  return (
    <p className="panel muted" data-testid="not-in-app">
      {t("common.notInApp")}
    </p>
  );
}
