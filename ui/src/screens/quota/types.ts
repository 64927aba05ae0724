// The answer of `quota_report` (a shell-side struct, not generated): the report and the
// thresholds this refresh crossed for the first time this month.
import type { QuotaReport } from "../../bindings/QuotaReport";
import type { ThresholdCrossing } from "../../bindings/ThresholdCrossing";

export interface QuotaView {
  report: QuotaReport;
  crossings: ThresholdCrossing[];
}
