import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CurrentProfileProvider, useCurrentProfile } from "../profiles/CurrentProfile";
import { profile } from "../test/fixtures";
import { ProfileSelect } from "./ProfileSelect";

const LIST = [profile("Prod"), profile("Sandbox"), profile("Staging")];

function Current() {
  return <span data-testid="current">{useCurrentProfile().current ?? "none"}</span>;
}

describe("ProfileSelect", () => {
  it("without value/onChange, shows and changes the app's current profile", async () => {
    const user = userEvent.setup();
    render(
      <CurrentProfileProvider>
        <ProfileSelect profiles={LIST} sandbox={{ active: true, profile: "Sandbox" }} testId="select" />
        <Current />
      </CurrentProfileProvider>,
    );
    const select = screen.getByTestId("select") as HTMLSelectElement;
    expect(select.value).toBe("Sandbox");
    await user.selectOptions(select, "Staging");
    expect(select.value).toBe("Staging");
    expect(screen.getByTestId("current").textContent).toBe("Staging");
    expect(window.localStorage.getItem("lark-companion.lastProfile")).toBe("Staging");
  });

  it("with value/onChange, is controlled by the screen", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(
      <CurrentProfileProvider>
        <ProfileSelect profiles={LIST} sandbox={{ active: false }} value="Prod" onChange={onChange} testId="select" />
        <Current />
      </CurrentProfileProvider>,
    );
    await user.selectOptions(screen.getByTestId("select"), "Staging");
    expect(onChange).toHaveBeenCalledWith("Staging");
    expect(screen.getByTestId("current").textContent).toBe("none");
  });
});
