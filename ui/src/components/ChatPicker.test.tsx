import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { BotChat } from "../bindings/BotChat";
import { ChatPicker } from "./ChatPicker";

const CHATS: BotChat[] = [
  { chatId: "oc_ops", name: "Ops on-call", description: "Pager rota" },
  { chatId: "oc_sre", name: "SRE", description: "" },
];

function Several({ onChange }: { onChange: (ids: string[]) => void }) {
  const [values, setValues] = useState<string[]>([]);
  return (
    <ChatPicker
      multiple
      chats={CHATS}
      values={values}
      onChange={(ids) => {
        setValues(ids);
        onChange(ids);
      }}
      testIdPrefix="pick"
    />
  );
}

describe("ChatPicker", () => {
  it("picks one group as radio buttons, or none", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<ChatPicker chats={CHATS} value="oc_ops" onChange={onChange} testIdPrefix="pick" noneLabel="No group" />);
    expect((screen.getByTestId("pick-option-oc_ops") as HTMLInputElement).type).toBe("radio");
    expect((screen.getByTestId("pick-option-oc_ops") as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByTestId("pick-option-oc_sre"));
    expect(onChange).toHaveBeenLastCalledWith("oc_sre");
    await user.click(screen.getByTestId("pick-option-none"));
    expect(onChange).toHaveBeenLastCalledWith(null);
  });

  it("picks several groups as checkboxes, and unticks one again", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Several onChange={onChange} />);
    const ops = screen.getByTestId("pick-option-oc_ops") as HTMLInputElement;
    expect(ops.type).toBe("checkbox");
    expect(screen.queryByTestId("pick-option-none")).toBeNull();
    await user.click(ops);
    await user.click(screen.getByTestId("pick-option-oc_sre"));
    expect(onChange).toHaveBeenLastCalledWith(["oc_ops", "oc_sre"]);
    await user.click(ops);
    expect(onChange).toHaveBeenLastCalledWith(["oc_sre"]);
    expect(ops.checked).toBe(false);
  });

  it("keeps groups hidden by the search chosen, and says when nothing matches", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Several onChange={onChange} />);
    await user.click(screen.getByTestId("pick-option-oc_sre"));
    await user.type(screen.getByTestId("pick-search"), "pager");
    expect(screen.queryByTestId("pick-option-oc_sre")).toBeNull();
    await user.click(screen.getByTestId("pick-option-oc_ops"));
    expect(onChange).toHaveBeenLastCalledWith(["oc_sre", "oc_ops"]);
    await user.clear(screen.getByTestId("pick-search"));
    await user.type(screen.getByTestId("pick-search"), "nothing like it");
    expect(screen.getByTestId("pick-no-match")).toBeTruthy();
  });

  it("moves between the checkboxes with Tab and ticks with Space", async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Several onChange={onChange} />);
    screen.getByTestId("pick-search").focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("pick-option-oc_ops"));
    await user.tab();
    await user.keyboard(" ");
    expect(onChange).toHaveBeenLastCalledWith(["oc_sre"]);
  });
});
