// Words for a check outcome in the UI language: the finding by its stable key with the
// outcome's params, falling back to the English `reason`; the fix translated where a
// translation exists (not in English: there the Rust text is the original).
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { CheckOutcome } from "../bindings/CheckOutcome";

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

type Params = CheckOutcome["params"];

/** The English field names the Rust side lists in `missing`, and their translation keys. */
const URL_FIELD_NAMES: Record<string, string> = {
  "Web Configuration URL": "setup.integration.fields.webConfigUrl",
  "Redirect URL": "setup.integration.fields.redirectUrl",
  "Message Card Request URL": "setup.integration.fields.cardRequestUrl",
};

export function useCheckText() {
  const { t, i18n } = useTranslation();

  /** The translated text of `key` with `params`, or null when a placeholder has no value. */
  const translate = useCallback(
    (key: string, params: Params): string | null => {
      if (!i18n.exists(key)) return null;
      const language = i18n.resolvedLanguage ?? i18n.language;
      const template =
        (i18n.getResource(language, "translation", key) as unknown) ??
        (i18n.getResource("en", "translation", key) as unknown);
      if (typeof template !== "string") return null;
      for (const match of template.matchAll(PLACEHOLDER)) {
        const name = match[1];
        if (name && params[name] === undefined) return null;
      }
      return t(key, params);
    },
    [i18n, t],
  );

  const title = useCallback((id: string) => (i18n.exists(`checks.titles.${id}`) ? t(`checks.titles.${id}`) : id), [i18n, t]);

  /** Params that hold English words get them in the UI language (the URL field names). */
  const localParams = useCallback(
    (finding: string, params: Params): Params => {
      const missing = params.missing;
      if (finding !== "integrationUrlsMissing" || missing === undefined) return params;
      const names = missing.split(",").map((name) => name.trim());
      if (!names.every((name) => name in URL_FIELD_NAMES)) return params;
      return { ...params, missing: names.map((name) => t(URL_FIELD_NAMES[name] ?? name)).join(t("common.listSeparator")) };
    },
    [t],
  );

  const finding = useCallback(
    (outcome: Pick<CheckOutcome, "finding" | "params" | "reason">) =>
      translate(`checks.findings.${outcome.finding}`, localParams(outcome.finding, outcome.params)) ?? outcome.reason,
    [translate, localParams],
  );

  const fix = useCallback(
    (outcome: Pick<CheckOutcome, "finding" | "params" | "fix">): string | null => {
      if (!outcome.fix) return null;
      const language = i18n.resolvedLanguage ?? i18n.language;
      if (language === "en") return outcome.fix.text;
      return translate(`checks.fixes.${outcome.finding}`, outcome.params) ?? outcome.fix.text;
    },
    [i18n, translate],
  );

  return { title, finding, fix };
}
