// "Create a new app for me": the scan's states as the window follows them (waiting, confirmed,
// denied, expired, unsupported), the QR code shown as an image, and the countdown.
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RegistrationStarted } from "../../../bindings/RegistrationStarted";
import type { RegistrationStatus } from "../../../bindings/RegistrationStatus";
import en from "../../../i18n/en.json";
import { guide, problem, profile } from "../../../test/fixtures";
import { callsOf, type CommandArgs } from "../../../test/invokeMock";
import { answerCommands, clipboardText, renderApp } from "../../../test/renderApp";
import { Countdown, formatLeft, secondsLeft } from "./Countdown";
import { rememberScan, SCAN_POLL } from "./scanSession";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const NEW_APP = "cli_00112233445566aa";

function started(n: number): RegistrationStarted {
  return {
    sessionId: `reg-${n}`,
    link: `https://accounts.feishu.cn/app/scan?user_code=CODE-000${n}`,
    qrSvg: `<svg xmlns="http://www.w3.org/2000/svg" data-n="${n}"><script>alert(1)</script></svg>`,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
}

const status = (phase: RegistrationStatus["phase"], extra: Partial<RegistrationStatus> = {}): RegistrationStatus => ({
  phase,
  intervalSecs: 5,
  lark: false,
  profile: null,
  message: null,
  ...extra,
});

/** A fresh installation whose scans answer with `statuses` in turn (the last one repeats). */
function scanning(statuses: RegistrationStatus[], overrides: Record<string, (args: CommandArgs) => unknown> = {}) {
  let session = 0;
  let read = 0;
  return answerCommands({
    registration_start: () => started(++session),
    registration_status: () => statuses[Math.min(read++, statuses.length - 1)],
    registration_cancel: () => true,
    set_wizard_progress: () => undefined,
    setup_guide: () => guide(NEW_APP),
    ...overrides,
  });
}

async function startScan() {
  const user = userEvent.setup();
  renderApp("/setup");
  await user.click(await screen.findByTestId("start-way-scan"));
  await user.click(screen.getByTestId("scan-start-button"));
  await screen.findByTestId("scan-session");
  return user;
}

describe("create a new app by scan", () => {
  beforeEach(() => {
    SCAN_POLL.ms = 20;
    rememberScan(null);
  });
  afterEach(() => {
    SCAN_POLL.ms = 1000;
    rememberScan(null);
  });

  it("pre-fills the names, waits for the scan, then shows the App ID and copies the App Secret from the keychain", async () => {
    const created = profile("Flashduty Alerts", { appId: NEW_APP, secrets: { appSecret: true, verificationToken: false, encryptKey: false } });
    const invoke = scanning([status("waiting"), status("confirmed", { profile: created })]);
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("start-way-scan"));
    expect((screen.getByTestId("profile-name") as HTMLInputElement).value).toBe("Flashduty Alerts");
    expect((screen.getByTestId("scan-app-name") as HTMLInputElement).value).toBe("Flashduty Alerts");
    // Next waits for the scan.
    expect((screen.getByTestId("wizard-next") as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByTestId("scan-start-button"));

    const session = await screen.findByTestId("scan-session");
    expect(invoke).toHaveBeenCalledWith("registration_start", { platform: { kind: "feishu" }, profileName: "Flashduty Alerts", appName: "Flashduty Alerts", reconfirm: false });
    expect(within(session).getByTestId("scan-link").textContent).toBe(started(1).link);
    expect(within(session).getByTestId("scan-state").textContent).toBe(en.setup.scan.phase.waiting);
    // The QR code is the core's SVG as an image: nothing of it becomes part of the page.
    const qr = within(session).getByTestId("scan-qr") as HTMLImageElement;
    expect(qr.tagName).toBe("IMG");
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    expect(qr.alt).toBe(en.setup.scan.qrAlt);
    expect(document.querySelector("script")).toBeNull();
    await user.click(within(session).getByTestId("scan-copy-link"));
    expect(clipboardText()).toBe(started(1).link);

    const confirmed = await screen.findByTestId("scan-confirmed");
    expect(within(confirmed).getByTestId("scan-app-id").textContent).toBe(NEW_APP);
    expect(confirmed.textContent).not.toContain("secret-value");
    await user.click(within(confirmed).getByTestId("scan-copy-app-secret"));
    expect(callsOf("copy_profile_secret")).toEqual([{ name: "Flashduty Alerts", kind: "appSecret" }]);
    expect(clipboardText()).toBe("<appSecret of Flashduty Alerts>");
    // The new profile is the wizard's now, saved where the scan left it.
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("set_wizard_progress", { name: "Flashduty Alerts", progress: expect.objectContaining({ steps: { platform: "pass" } }) }),
    );
    expect((screen.getByTestId("wizard-step-integration") as HTMLButtonElement).disabled).toBe(false);
    await user.click(within(confirmed).getByTestId("scan-continue"));
    expect(await screen.findByTestId("step-integration")).toBeTruthy();
    expect(screen.getByTestId("integration-missing-verification-token").textContent).toBe(en.setup.integration.notStored);
  });

  it("says when the platform asked to be asked less often", async () => {
    scanning([status("slowedDown", { intervalSecs: 10 })]);
    await startScan();
    await waitFor(() => expect(screen.getByTestId("scan-state").textContent).toBe("Still waiting. The platform asked us to check less often (every 10 s)."));
  });

  it("after a denied scan, Try again starts a new one with a new link", async () => {
    const created = profile("Flashduty Alerts", { appId: NEW_APP });
    let denied = true;
    scanning([], {
      registration_status: (args) => (args?.sessionId === "reg-1" ? status("denied", { message: "declined" }) : denied ? status("waiting") : status("confirmed", { profile: created })),
    });
    const user = await startScan();
    await waitFor(() => expect(screen.getByTestId("scan-state").textContent).toBe(en.setup.scan.phase.denied));
    expect(screen.getByTestId("scan-session").dataset.phase).toBe("denied");
    expect(screen.queryByTestId("scan-countdown")).toBeNull();

    await user.click(screen.getByTestId("scan-retry"));
    await waitFor(() => expect(screen.getByTestId("scan-link").textContent).toBe(started(2).link));
    expect(callsOf("registration_start")).toHaveLength(2);
    await waitFor(() => expect(callsOf("registration_status").at(-1)).toEqual({ sessionId: "reg-2" }));
    denied = false;
    expect(await screen.findByTestId("scan-confirmed")).toBeTruthy();
  });

  it("an expired code offers Try again, and Change the names goes back to the form", async () => {
    scanning([status("expired")]);
    const user = await startScan();
    await waitFor(() => expect(screen.getByTestId("scan-state").textContent).toBe(en.setup.scan.phase.expired));
    expect(screen.getByTestId("scan-retry")).toBeTruthy();
    await user.click(screen.getByTestId("scan-start-over"));
    expect(await screen.findByTestId("scan-start")).toBeTruthy();
    expect((screen.getByTestId("profile-name") as HTMLInputElement).value).toBe("Flashduty Alerts");
  });

  it("Cancel stops waiting for the scan", async () => {
    scanning([status("waiting")]);
    const user = await startScan();
    await user.click(screen.getByTestId("scan-cancel"));
    expect(await screen.findByTestId("scan-start")).toBeTruthy();
    expect(callsOf("registration_cancel")).toEqual([{ sessionId: "reg-1" }]);
  });

  it("a platform without registration by scan switches to the manual way and says why", async () => {
    scanning([], {
      registration_start: () => {
        throw problem(
          "platform",
          "registration_failed",
          { detail: "this platform does not offer app registration by QR code (HTTP 404)" },
          { field: "registration" },
        );
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("start-way-scan"));
    await user.click(screen.getByTestId("scan-start-button"));
    const why = await screen.findByTestId("start-fell-back");
    expect(why.textContent).toContain(en.setup.start.fellBack);
    expect(why.textContent).toContain("does not offer app registration by QR code (HTTP 404)");
    expect((screen.getByTestId("start-way-manual") as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId("open-developer-console")).toBeTruthy();
  });

  it("an unsupported phase while waiting switches to the manual way too", async () => {
    scanning([status("unsupported", { message: "this platform does not offer app registration by QR code (HTTP 405)" })]);
    await startScan();
    expect((await screen.findByTestId("start-fell-back")).textContent).toContain("HTTP 405");
  });

  it("shows a refused profile name under the field and other failures beside Start", async () => {
    scanning([], {
      registration_start: () => {
        throw problem("platform", "network_unreachable", { detail: "accounts.feishu.cn did not answer" });
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("start-way-scan"));
    await user.clear(screen.getByTestId("profile-name"));
    await user.click(screen.getByTestId("scan-start-button"));
    expect((await screen.findByTestId("profile-name-error")).textContent).toBe(en.setup.platform.nameError.empty);
    expect(callsOf("registration_start")).toHaveLength(0);
    await user.type(screen.getByTestId("profile-name"), "Ops");
    await user.click(screen.getByTestId("scan-start-button"));
    expect((await screen.findByTestId("scan-start-error")).textContent).toContain("Could not reach Feishu/Lark: accounts.feishu.cn did not answer.");
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });
});

describe("countdown", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts whole seconds to the expiry as m:ss", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(secondsLeft("2026-12-01T10:10:00Z", now)).toBe(600);
    expect(secondsLeft("2026-12-01T10:00:00.200Z", now)).toBe(1);
    expect(secondsLeft("2026-12-01T09:59:00Z", now)).toBe(0);
    expect(secondsLeft("not a date", now)).toBe(0);
    expect(formatLeft(600)).toBe("10:00");
    expect(formatLeft(65)).toBe("1:05");
  });

  it("ticks every second and says when the code has expired", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-12-01T10:00:00Z"));
    render(<Countdown until="2026-12-01T10:00:02Z" />);
    expect(screen.getByTestId("scan-countdown").textContent).toBe("The code expires in 0:02.");
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByTestId("scan-countdown").textContent).toBe("The code expires in 0:01.");
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByTestId("scan-countdown").textContent).toBe(en.setup.scan.expiredClock);
  });
});
