// Number and date formatting in the UI's language.
import { useTranslation } from "react-i18next";

export interface Formatters {
  count: (n: number) => string;
  percent: (p: number) => string;
  dateTime: (iso: string) => string;
  ms: (n: number | null) => string;
}

export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  const locale = i18n.language || "en";
  const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percents = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return {
    count: (n) => counts.format(Math.round(n)),
    percent: (p) => `${percents.format(p)} %`,
    dateTime: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dates.format(d);
    },
    ms: (n) => (n === null ? "–" : `${counts.format(n)} ms`),
  };
}
