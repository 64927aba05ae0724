// The signature lab's verdict in the UI language: the Rust side sends each finding, the summary
// and the decryption error as codes with values; the sentences are `relay.lab.*` in the catalogues
// (a Rust test checks every code has one in each language).
import type { TFunction } from "i18next";
import type { LabDecryptError } from "../../bindings/LabDecryptError";
import type { LabFinding } from "../../bindings/LabFinding";
import type { LabReport } from "../../bindings/LabReport";

type Params = LabFinding["params"];

function localParams(values: Params, t: TFunction): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (key === "missing") params[key] = value.split(",").join(t("checks.listSeparator"));
    else if (key === "direction") params[key] = t(`relay.lab.direction.${value}`);
    else if (key === "reason") params[key] = t(`relay.lab.decryptReasons.${value}`);
    else params[key] = value;
  }
  return params;
}

export function labFindingText(finding: LabFinding, t: TFunction): string {
  return t(`relay.lab.findingText.${finding.code}`, localParams(finding.params, t));
}

export function labSummaryText(report: LabReport, t: TFunction): string {
  const summary = report.summaryKey;
  if (summary.code === "firstFinding") {
    const first = report.findingKeys[summary.finding ?? 0];
    return first ? t("relay.lab.summaryText.firstFinding", { first: labFindingText(first, t) }) : t("relay.lab.summaryText.seeFindings");
  }
  return t(`relay.lab.summaryText.${summary.code}`, localParams(summary.params, t));
}

/** Why the body did not decrypt (the `decryptFailed` finding's reason). */
export function labDecryptErrorText(error: LabDecryptError, t: TFunction): string {
  return t(`relay.lab.decryptReasons.${error}`);
}
