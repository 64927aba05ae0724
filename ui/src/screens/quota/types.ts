// The answer of `quota_report`: generated from the core's `QuotaView`.
export type { QuotaView } from "../../bindings/QuotaView";
