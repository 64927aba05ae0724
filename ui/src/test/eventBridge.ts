// A stand-in for Tauri's event bridge (`@tauri-apps/api/event`). A test file registers it with
//   vi.mock("@tauri-apps/api/event", () => import("../../test/eventBridge"));
// and then plays events the Rust side would emit with `emitEvent`.
import { act } from "@testing-library/react";
import { vi } from "vitest";

type Listener = (event: { payload: unknown }) => void;

const listeners = new Map<string, Listener>();

export const listen = vi.fn(async (name: string, handler: Listener) => {
  listeners.set(name, handler);
  return () => listeners.delete(name);
});

/** Delivers `payload` to whoever listens to `name`, as the app's event bridge would. */
export function emitEvent(name: string, payload: unknown): void {
  act(() => listeners.get(name)?.({ payload }));
}

/** Whether the screen listens to `name` yet (subscribing is asynchronous). */
export function isListening(name: string): boolean {
  return listeners.has(name);
}

/** Forgets every listener (between tests). */
export function clearListeners(): void {
  listeners.clear();
}
