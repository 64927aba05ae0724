// Words for a check outcome in the UI language: the finding and its fix by the finding's key
// with the outcome's params (the Rust side sends no sentence; the CLI reads the same English).
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { CheckOutcome } from "../bindings/CheckOutcome";

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

type Params = CheckOutcome["params"];

/** Params that hold a list (Rust joins keys and identifiers with ",", group names one per line),
 * and where each item's words are, if it is a key rather than a value. */
const LISTS: Record<string, { separator: string; keys?: string }> = {
  missing: { separator: ",", keys: "setup.integration.fields" },
  scopes: { separator: "," },
  events: { separator: "," },
  callbacks: { separator: "," },
  names: { separator: "\n" },
};

/** Params that may come empty: the platform has nothing there (e.g. no redirect URL listed). */
const EMPTY_MEANS_NONE = ["current", "events", "callbacks"] as const;

/** History recorded before `missing` held keys named the fields in English. */
const URL_FIELD_NAMES: Record<string, string> = {
  "Web Configuration URL": "setup.integration.fields.webConfigUrl",
  "Redirect URL": "setup.integration.fields.redirectUrl",
  "Message Card Request URL": "setup.integration.fields.cardRequestUrl",
};

export function useCheckText() {
  const { t, i18n } = useTranslation();

  /** The params in the UI language: key lists named, lists joined the language's way, an unsaved
   * URL (`field` instead of `url`) described. */
  const localize = useCallback(
    (params: Params): Params => {
      const out: Params = { ...params };
      for (const [name, list] of Object.entries(LISTS)) {
        const value = params[name];
        if (value === undefined) continue;
        // Trimmed: history recorded before params were key lists joined them with ", ".
        const items = value
          .split(list.separator)
          .map((item) => item.trim())
          .filter((item) => item !== "");
        const words = items.map((item) => {
          const key = URL_FIELD_NAMES[item] ?? (list.keys ? `${list.keys}.${item}` : null);
          return key && i18n.exists(key) ? t(key) : item;
        });
        out[name] = words.join(t("checks.listSeparator"));
      }
      // A value the platform returned empty (nothing listed, nothing set) reads as "none".
      for (const name of EMPTY_MEANS_NONE) if (params[name] === "") out[name] = t("checks.noneValue");
      const field = params.field;
      if (params.url === undefined && field !== undefined) {
        const key = `setup.integration.fields.${field}`;
        out.url = t("checks.unsavedUrl", { field: i18n.exists(key) ? t(key) : field });
      }
      return out;
    },
    [i18n, t],
  );

  /** The translated text of `key` with `params`, or null when a placeholder has no value. */
  const translate = useCallback(
    (key: string, raw: Params): string | null => {
      const params = localize(raw);
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
    [i18n, t, localize],
  );

  const title = useCallback((id: string) => (i18n.exists(`checks.titles.${id}`) ? t(`checks.titles.${id}`) : id), [i18n, t]);

  /** A finding's sentence; a history record of a finding that no longer exists shows the
   * English stored with it. */
  const finding = useCallback(
    (outcome: { finding: string; params: Params; reason?: string | null }): string =>
      translate(`checks.findings.${outcome.finding}`, outcome.params) ?? outcome.reason ?? outcome.finding,
    [translate],
  );

  const fix = useCallback(
    (outcome: Pick<CheckOutcome, "finding" | "params" | "fix">): string | null =>
      outcome.fix ? translate(`checks.fixes.${outcome.finding}`, outcome.params) : null,
    [translate],
  );

  return { title, finding, fix };
}
