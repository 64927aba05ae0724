// The signature lab's verdict in the UI language: the Rust side sends each finding as a code with
// values next to its English sentence. English shows the Rust sentences; other languages word the
// codes, keeping the English sentence for a code they have no words for.
import type { TFunction, i18n as I18n } from "i18next";
import type { LabFinding } from "../../bindings/LabFinding";
import type { LabReport } from "../../bindings/LabReport";

function localParams(finding: LabFinding, t: TFunction): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(finding.params)) {
    if (value === undefined) continue;
    if (key === "missing") params[key] = value.split(",").join(t("checks.listSeparator"));
    else if (key === "direction") params[key] = t(`relay.lab.direction.${value}`);
    else if (key === "reason") params[key] = t(`relay.lab.decryptReasons.${value}`);
    else params[key] = value;
  }
  return params;
}

function english(i18n: I18n): boolean {
  return (i18n.resolvedLanguage ?? i18n.language) === "en";
}

export function labFindingText(finding: LabFinding | undefined, sentence: string, t: TFunction, i18n: I18n): string {
  if (!finding || english(i18n)) return sentence;
  const key = `relay.lab.findingText.${finding.code}`;
  return i18n.exists(key) ? t(key, localParams(finding, t)) : sentence;
}

export function labSummaryText(report: LabReport, t: TFunction, i18n: I18n): string {
  const code = report.summaryKey.code;
  if (english(i18n)) return report.summary;
  if (code === "firstFinding" && report.findings.length > 0) {
    return t("relay.lab.summaryText.firstFinding", { first: labFindingText(report.findingKeys[0], report.findings[0] ?? "", t, i18n) });
  }
  const key = `relay.lab.summaryText.${code}`;
  return i18n.exists(key) ? t(key, localParams(report.summaryKey, t)) : report.summary;
}

/** The decryption error, worded from the `decryptFailed` finding where the language has words. */
export function labDecryptErrorText(report: LabReport, t: TFunction, i18n: I18n): string | null {
  if (report.decryptError === null || english(i18n)) return report.decryptError;
  const finding = report.findingKeys.find((f) => f.code === "decryptFailed");
  const reason = finding?.params.reason;
  const key = `relay.lab.decryptReasons.${reason ?? ""}`;
  return reason && i18n.exists(key) ? t(key) : report.decryptError;
}
