// The changelog a publish is pre-filled with, in the window's language: what the plan has
// waiting for this version (set but not live yet, or still to be applied), one line each, named
// as the Apply step names them.
import type { TFunction } from "i18next";
import type { Plan } from "../../../bindings/Plan";

export function changelogFrom(plan: Plan, t: TFunction): string {
  const lines = plan.items
    .filter((item) => item.awaitingPublish || item.action === "add" || item.action === "change")
    .map((item) => `- ${t(`setup.apply.items.${item.id}.title`, { scope: item.subject ?? "" })}`);
  return [t("setup.publish.api.changelogHeading"), ...lines].join("\n");
}
