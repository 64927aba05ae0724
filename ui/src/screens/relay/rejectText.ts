// A rejection in the UI language: the Rust side records its code and the values of its sentence
// (secret and scheme names, the token's path, header names, sizes, the parser's detail); the
// English it also stores comes from this same catalogue, and is shown only for a record whose
// code has no words here (one written by an older version).
import type { TFunction, i18n as I18n } from "i18next";
import type { RecordDetail } from "../../bindings/RecordDetail";

export interface RejectText {
  reason: string | null;
  fix: string | null;
}

export function rejectText(detail: RecordDetail, t: TFunction, i18n: I18n): RejectText {
  const code = detail.summary.rejectCode;
  if (!code || !i18n.exists(`relay.detail.reject.${code}`)) {
    return { reason: detail.rejectReason, fix: detail.rejectFix };
  }
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(detail.rejectParams)) {
    if (value !== undefined) params[key] = key === "missing" || key === "served" ? value.split(",").join(t("checks.listSeparator")) : value;
  }
  let reason = t(`relay.detail.reject.${code}`, params);
  if (params.swapped === "true") reason += t("relay.detail.reject.swapped");
  const fix = detail.rejectFix && i18n.exists(`relay.detail.rejectFix.${code}`) ? t(`relay.detail.rejectFix.${code}`, params) : detail.rejectFix;
  return { reason, fix };
}
