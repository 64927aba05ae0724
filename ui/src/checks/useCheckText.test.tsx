// Check params are values or key lists; the words around them (and the names of keys) come from
// the UI language, so a Chinese sentence carries no English labels or English list commas.
import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import i18n, { applyLanguage } from "../i18n";
import type { CheckFinding } from "../bindings/CheckFinding";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import { useCheckText } from "./useCheckText";

function outcome(finding: CheckFinding, params: CheckOutcome["params"]): CheckOutcome {
  return { id: "integrationUrls", status: "fail", finding, params };
}

describe("useCheckText", () => {
  afterEach(async () => {
    await act(() => applyLanguage("en"));
  });

  it("names missing URLs by key and joins lists the language's way", async () => {
    await act(() => applyLanguage("zh-CN"));
    const { result } = renderHook(() => useCheckText());
    const missing = result.current.finding(outcome("integrationUrlsMissing", { missing: "webConfigUrl,redirectUrl,cardRequestUrl" }));
    expect(missing).toBe("尚未保存：网页配置 URL、重定向 URL、消息卡片请求网址。");
    expect(missing).not.toContain("Web Configuration URL");

    const callback = result.current.finding(
      outcome("callbackUrlNotVisible", { field: "cardRequestUrl", events: "im.chat.disbanded_v1,im.message.receive_v1", callbacks: "card.action.trigger,card.action.trigger_v1" }),
    );
    expect(callback).toContain("（尚未保存的消息卡片请求网址）");
    expect(callback).toContain("im.chat.disbanded_v1、im.message.receive_v1");
    expect(callback).not.toContain("(the ");

    const groups = result.current.finding(outcome("botInGroups", { count: "2", names: "Ops, on call\nDBA" }));
    expect(groups).toBe("机器人在 2 个群组中：Ops, on call、DBA。");
  });

  it("reads the same params in English", async () => {
    await act(() => applyLanguage("en"));
    const { result } = renderHook(() => useCheckText());
    expect(result.current.finding(outcome("integrationUrlsMissing", { missing: "webConfigUrl,cardRequestUrl" }))).toBe(
      "Not saved yet: Web Configuration URL, Message Card Request URL.",
    );
    expect(result.current.finding(outcome("webAppNotVisible", { url: "https://x.example/web" }))).toContain("https://x.example/web");
    expect(i18n.t("checks.status.skipped")).toBe("Skipped");
  });
});
