import { useTranslation } from "react-i18next";
import { CopyButton } from "../../components/CopyButton";

/** A value to paste into the console, with a copy button, or a note that it is not known yet. */
export function GuideValue({ label, value, testId, missing }: { label: string; value: string | null | undefined; testId: string; missing: string }) {
  const { t } = useTranslation();
  return (
    <div className="guide-value">
      <span className="guide-value__label">{label}</span>
      {value ? (
        <>
          <code className="guide-value__code" data-testid={`${testId}-value`}>
            {value}
          </code>
          <CopyButton value={value} testId={testId} what={label} />
        </>
      ) : (
        <span className="field__warning" data-testid={`${testId}-missing`}>
          {missing} <span className="muted">{t("setup.appConfig.pasteFirst")}</span>
        </span>
      )}
    </div>
  );
}
