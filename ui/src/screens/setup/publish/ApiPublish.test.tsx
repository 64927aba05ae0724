// Step 7's "Publish from here": the honest confirmation, the changelog pre-filled from the plan,
// and the version followed while it waits for a tenant admin.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Plan } from "../../../bindings/Plan";
import type { PlanItem } from "../../../bindings/PlanItem";
import type { PublishReport } from "../../../bindings/PublishReport";
import en from "../../../i18n/en.json";
import zhCN from "../../../i18n/zh-CN.json";
import { guide, problem, profile } from "../../../test/fixtures";
import { callsOf, type CommandArgs } from "../../../test/invokeMock";
import { answerCommands, renderApp } from "../../../test/renderApp";
import { VERSION_POLL } from "./useVersionState";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const item = (id: PlanItem["id"], extra: Partial<PlanItem>): PlanItem => ({
  id,
  subject: null,
  current: { kind: "notSet" },
  wanted: "",
  action: "nothing",
  effect: "afterPublish",
  blocking: true,
  api: "application.v7.config.patch",
  blocker: null,
  awaitingPublish: false,
  ...extra,
});
/** Applied and waiting for this version: the web app and a scope; the bot was live already. */
const PLAN: Plan = {
  appId: "cli_a1b2c3d4e5f60718",
  items: [
    item("bot", { current: { kind: "value", text: "on" } }),
    item("webApp", { awaitingPublish: true }),
    item("scope", { subject: "im:chat", awaitingPublish: true }),
  ],
  underReview: false,
  consoleMade: true,
  missingReadScope: null,
};
/** The changelog the plan makes, in the window's words. */
const CHANGELOG = `${en.setup.publish.api.changelogHeading}\n- Web App homepage\n- Scope im:chat`;
const VERSION = "oav_0123456789abcdef0123456789abcdef";

const report = (state: PublishReport["state"], extra: Partial<PublishReport> = {}): PublishReport => ({
  versionId: VERSION,
  version: "1.0.1",
  state,
  note: null,
  ...extra,
});

function atPublish(overrides: Record<string, (args: CommandArgs) => unknown>, language: "zh-CN" | null = null) {
  return answerCommands(
    {
    list_profiles: () => [profile("Prod")],
    get_wizard_progress: () => ({ currentStep: "publish", steps: { platform: "pass", credentials: "pass" }, confirmed: [] }),
    set_wizard_progress: () => undefined,
    setup_guide: () => guide(),
    setup_plan: () => PLAN,
    ...overrides,
    },
    { language },
  );
}

describe("publish from the wizard", () => {
  beforeEach(() => {
    VERSION_POLL.ms = 20;
  });
  afterEach(() => {
    VERSION_POLL.ms = 3000;
  });

  it("says what goes live and that an admin may have to approve, publishes the pre-filled changelog, and follows the review until online", async () => {
    let reviewed = false;
    atPublish({
      setup_publish: () => report("underReview"),
      setup_version_state: () => (reviewed ? report("online", { version: null }) : report("underReview", { version: null })),
    });
    const user = userEvent.setup();
    renderApp("/setup");

    const confirm = await screen.findByTestId("publish-confirm");
    expect(confirm.textContent).toContain(en.setup.publish.api.what);
    expect(confirm.textContent).toContain(en.setup.publish.api.approvalTitle);
    expect(confirm.textContent).toContain("We can't know in advance");
    const changelog = screen.getByTestId("publish-changelog") as HTMLTextAreaElement;
    await waitFor(() => expect(changelog.value).toBe(CHANGELOG));
    expect(screen.getByLabelText(en.setup.publish.api.changelog)).toBe(changelog);

    await user.click(screen.getByTestId("publish-run"));
    const state = await screen.findByTestId("publish-state");
    expect(callsOf("setup_publish")).toEqual([{ name: "Prod", changelog: CHANGELOG }]);
    expect(state.dataset.state).toBe("underReview");
    expect(state.textContent).toContain("Version 1.0.1 is waiting for approval");
    expect(state.textContent).toContain("Ask a tenant admin to approve it");
    expect(within(state).getByTestId("publish-state-open-versions")).toBeTruthy();
    // It cannot be published again while it waits.
    expect((screen.getByTestId("publish-run") as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(callsOf("setup_version_state").length).toBeGreaterThan(1));
    expect(callsOf("setup_version_state")[0]).toEqual({ name: "Prod", versionId: VERSION });

    reviewed = true;
    await waitFor(() => expect(screen.getByTestId("publish-state").dataset.state).toBe("online"));
    // The version's number stays when the state read back does not repeat it.
    expect(screen.getByTestId("publish-state").textContent).toContain("Version 1.0.1 is online");
    const polls = callsOf("setup_version_state").length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(callsOf("setup_version_state")).toHaveLength(polls);
    expect((screen.getByTestId("publish-run") as HTMLButtonElement).disabled).toBe(false);
  });

  it("publishes the changelog as edited, and shows a rejection with the reviewer's note", async () => {
    atPublish({ setup_publish: () => report("rejected", { note: "Describe the app." }) });
    const user = userEvent.setup();
    renderApp("/setup");
    const changelog = await screen.findByTestId("publish-changelog");
    await waitFor(() => expect((changelog as HTMLTextAreaElement).value).toBe(CHANGELOG));
    await user.clear(changelog);
    await user.type(changelog, "Alerts from Flashduty");
    await user.click(screen.getByTestId("publish-run"));
    const state = await screen.findByTestId("publish-state");
    expect(callsOf("setup_publish")).toEqual([{ name: "Prod", changelog: "Alerts from Flashduty" }]);
    expect(state.dataset.state).toBe("rejected");
    expect(within(state).getByTestId("publish-note").textContent).toContain("Describe the app.");
  });

  it("shows a refused publish beside its button", async () => {
    atPublish({
      setup_publish: () => {
        throw problem("platform", "under_review", { code: "210040" }, { fix: { code: "wait_for_review" } });
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("publish-run"));
    const error = await screen.findByTestId("publish-error");
    expect(error.textContent).toContain("(code 210040)");
    expect(error.textContent).toContain(en.fixes.wait_for_review);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("words the pre-filled changelog in the window's language", async () => {
    atPublish({}, "zh-CN");
    renderApp("/setup");
    const changelog = (await screen.findByTestId("publish-changelog")) as HTMLTextAreaElement;
    const web = zhCN.setup.apply.items.webApp.title;
    await waitFor(() => expect(changelog.value).toBe(`${zhCN.setup.publish.api.changelogHeading}\n- ${web}\n- ${zhCN.setup.apply.items.scope.title.replace("{{scope}}", "im:chat")}`));
    expect(changelog.value).not.toContain("webApp");
  });
});
