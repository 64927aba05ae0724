import { act, render, renderHook, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { lastProfile, rememberProfile } from "../lib/lastProfile";
import { profile } from "../test/fixtures";
import { CurrentProfileProvider, useChosenProfile, useCurrentProfile } from "./CurrentProfile";

const wrapper = ({ children }: { children: ReactNode }) => <CurrentProfileProvider>{children}</CurrentProfileProvider>;
const LIST = [profile("Prod"), profile("Sandbox"), profile("Staging")];
const OFF: SandboxStatus = { active: false };

function Chooser() {
  const { choose } = useCurrentProfile();
  return (
    <button type="button" onClick={() => choose("Staging")}>
      choose
    </button>
  );
}

function Shown({ testId }: { testId: string }) {
  const [name] = useChosenProfile(LIST, OFF);
  return <span data-testid={testId}>{name ?? "none"}</span>;
}

describe("current profile", () => {
  it("is one choice shared by every screen, remembered across restarts", async () => {
    const user = userEvent.setup();
    const first = render(
      <CurrentProfileProvider>
        <Chooser />
        <Shown testId="relay" />
        <Shown testId="quota" />
      </CurrentProfileProvider>,
    );
    expect(screen.getByTestId("relay").textContent).toBe("Prod");
    await user.click(screen.getByRole("button"));
    expect(screen.getByTestId("relay").textContent).toBe("Staging");
    expect(screen.getByTestId("quota").textContent).toBe("Staging");
    first.unmount();

    // A restart: a fresh provider reads the stored choice.
    render(
      <CurrentProfileProvider>
        <Shown testId="doctor" />
      </CurrentProfileProvider>,
    );
    expect(screen.getByTestId("doctor").textContent).toBe("Staging");
  });

  it("opens on the remembered profile (any case), else the sandbox's, else the first; null while loading", () => {
    const sandboxOn: SandboxStatus = { active: true, profile: "Sandbox" };
    expect(renderHook(() => useChosenProfile(null, OFF), { wrapper }).result.current[0]).toBeNull();
    expect(renderHook(() => useChosenProfile([], OFF), { wrapper }).result.current[0]).toBeNull();
    expect(renderHook(() => useChosenProfile(LIST, OFF), { wrapper }).result.current[0]).toBe("Prod");
    expect(renderHook(() => useChosenProfile(LIST, sandboxOn), { wrapper }).result.current[0]).toBe("Sandbox");
    window.localStorage.setItem("lark-companion.lastProfile", "staging");
    expect(renderHook(() => useChosenProfile(LIST, sandboxOn), { wrapper }).result.current[0]).toBe("Staging");
    window.localStorage.setItem("lark-companion.lastProfile", "Deleted meanwhile");
    expect(renderHook(() => useChosenProfile(LIST, OFF), { wrapper }).result.current[0]).toBe("Prod");
  });

  it("follows a rename and forgets a deleted profile", () => {
    const { result } = renderHook(() => useCurrentProfile(), { wrapper });
    act(() => result.current.choose("Prod"));
    act(() => result.current.renamed("prod", "Production"));
    expect(result.current.current).toBe("Production");
    act(() => result.current.renamed("Staging", "Other"));
    expect(result.current.current).toBe("Production");
    act(() => result.current.removed("PRODUCTION"));
    expect(result.current.current).toBeNull();
    expect(lastProfile()).toBeNull();
  });

  it("hears a choice made through rememberProfile by screens not using the context yet", () => {
    const { result } = renderHook(() => useCurrentProfile(), { wrapper });
    act(() => rememberProfile("Staging"));
    expect(result.current.current).toBe("Staging");
  });
});
