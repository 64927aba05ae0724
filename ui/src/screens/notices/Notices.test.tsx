import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Notice } from "../../bindings/Notice";
import type { NoticeSetting } from "../../bindings/NoticeSetting";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { answerCommands, renderApp } from "../../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => {})) }));

const FAILING: Notice = {
  id: 2,
  profile: "Prod",
  kind: "relay_upstream_failing",
  params: { seconds: "75" },
  raisedAt: "2026-12-02T10:00:00Z",
  clearedAt: null,
};
const QUOTA: Notice = {
  id: 1,
  profile: "Prod",
  kind: "quota_threshold",
  params: { threshold: "80", used: "8000", cap: "10000" },
  raisedAt: "2026-12-01T09:00:00Z",
  clearedAt: "2026-12-02T00:00:00Z",
};
const ALL_ON: NoticeSetting[] = (Object.keys(en.notices.kinds) as NoticeSetting["kind"][]).map((kind) => ({ kind, enabled: true }));

describe("the Notifications screen", () => {
  it("lists each notice with its profile, what happened, what to do and whether it lasts", async () => {
    answerCommands({ notice_list: () => [FAILING, QUOTA], notice_settings: () => ALL_ON });
    renderApp("/notices");
    const failing = await screen.findByTestId("notice-2");
    expect(failing.dataset.ongoing).toBe("true");
    expect(failing.textContent).toContain(en.notices.kinds.relay_upstream_failing.title);
    expect(failing.textContent).toContain(en.notices.kinds.relay_upstream_failing.body.replace("{{seconds}}", "75"));
    expect(failing.textContent).toContain("Prod");
    expect(failing.textContent).toContain(en.notices.ongoing);
    const quota = screen.getByTestId("notice-1");
    expect(quota.dataset.ongoing).toBe("false");
    expect(quota.textContent).toContain("80 % of the monthly API quota used");
    expect(quota.textContent).toContain("8000 of 10000 calls");
  });

  it("says so when there is nothing to report", async () => {
    answerCommands({ notice_settings: () => ALL_ON });
    renderApp("/notices");
    expect((await screen.findByTestId("notice-empty")).textContent).toBe(en.notices.empty);
  });

  it("says it is loading the kinds until the core answers, never an empty card", async () => {
    let answer: (value: NoticeSetting[]) => void = () => {};
    answerCommands({ notice_settings: () => new Promise<NoticeSetting[]>((resolve) => (answer = resolve)) });
    renderApp("/notices");
    const loading = await screen.findByTestId("notice-settings-loading");
    expect(loading.textContent).toBe(en.common.loading);
    answer(ALL_ON);
    await screen.findByTestId("notice-kind-quota_threshold");
    expect(screen.queryByTestId("notice-settings-loading")).toBeNull();
  });

  it("turns a kind off and keeps what the core answers", async () => {
    const invoke = answerCommands({
      notice_settings: () => ALL_ON,
      set_notice_enabled: (args) => ALL_ON.map((s) => (s.kind === args?.kind ? { ...s, enabled: Boolean(args?.enabled) } : s)),
    });
    const user = userEvent.setup();
    renderApp("/notices");
    const panel = await screen.findByTestId("notice-settings");
    const box = (await within(panel).findByTestId("notice-kind-relay_rejections")) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(box.parentElement?.textContent).toContain(en.notices.settingLabels.relay_rejections);
    await user.click(box);
    expect(invoke).toHaveBeenCalledWith("set_notice_enabled", { kind: "relay_rejections", enabled: false });
    expect(((await within(panel).findByTestId("notice-kind-relay_rejections")) as HTMLInputElement).checked).toBe(false);
  });

  it("has every kind's words in both languages", () => {
    for (const catalogue of [en, zhCN]) {
      for (const kind of Object.keys(en.notices.kinds)) {
        const k = kind as keyof typeof en.notices.kinds;
        expect(catalogue.notices.kinds[k].title).not.toBe("");
        expect(catalogue.notices.kinds[k].body).not.toBe("");
        expect(catalogue.notices.settingLabels[k]).not.toBe("");
      }
    }
  });
});
