import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { useCallback, type ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { CommandError } from "../api/invoke";
import { ErrorBanner } from "../errors/ErrorBanner";
import { ErrorProvider, useErrors } from "../errors/ErrorContext";
import { problem } from "../test/fixtures";
import { useCommand, useLoad } from "./useCommand";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

/** A promise settled by hand, to answer calls out of order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function wrapper({ children }: { children: ReactNode }) {
  return (
    <ErrorProvider>
      <ErrorBanner />
      {children}
    </ErrorProvider>
  );
}

const REFUSED_PROXY = problem("invalid_input", "proxy_scheme", {}, { field: "proxy" });
const REFUSED = problem("platform", "platform_error", { code: "99991400", http: "400", detail: "refused" });

describe("useCommand", () => {
  it("keeps the answer and says when it is busy", async () => {
    const answer = deferred<string>();
    const { result } = renderHook(() => useCommand((name: string) => answer.promise.then((v) => `${v} ${name}`)), {
      wrapper,
    });
    expect(result.current.busy).toBe(false);
    let run!: Promise<unknown>;
    act(() => {
      run = result.current.run("Prod");
    });
    expect(result.current.busy).toBe(true);
    await act(async () => answer.resolve("hello"));
    await expect(run).resolves.toEqual({ status: "done", value: "hello Prod" });
    expect(result.current.data).toBe("hello Prod");
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("shows a failure in the banner and keeps it as state", async () => {
    const { result } = renderHook(
      () =>
        useCommand(async () => {
          throw problem("storage", "database", { detail: "disk full" });
        }),
      { wrapper },
    );
    let outcome: unknown;
    await act(async () => {
      outcome = await result.current.run();
    });
    expect(outcome).toMatchObject({ status: "failed" });
    expect(result.current.error).toBeInstanceOf(CommandError);
    expect(result.current.error?.params.detail).toBe("disk full");
    expect((await screen.findByTestId("error-banner")).textContent).toContain("Database error: disk full");
  });

  it("puts a refused field inline instead of the banner", async () => {
    const { result } = renderHook(
      () =>
        useCommand(
          async () => {
            throw REFUSED_PROXY;
          },
          { fields: ["proxy"] },
        ),
      { wrapper },
    );
    await act(async () => {
      await result.current.run();
    });
    expect(result.current.fieldError).toEqual({ field: "proxy", problem: expect.objectContaining(REFUSED_PROXY) });
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("can keep a failure out of the banner entirely", async () => {
    const { result } = renderHook(
      () =>
        useCommand(
          async () => {
            throw REFUSED;
          },
          { banner: false },
        ),
      { wrapper },
    );
    await act(async () => {
      await result.current.run();
    });
    expect(result.current.error?.kind).toBe("platform");
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("inline: keeps a failure for beside the action, but a keychain failure goes to the banner", async () => {
    const failures = [REFUSED, problem("keychain_timeout", "keychain_timeout", { seconds: "10" })];
    const { result } = renderHook(
      () =>
        useCommand(
          async () => {
            throw failures.shift();
          },
          { inline: true },
        ),
      { wrapper },
    );
    await act(async () => {
      await result.current.run();
    });
    expect(result.current.error?.code).toBe("platform_error");
    expect(screen.queryByTestId("error-banner")).toBeNull();
    await act(async () => {
      await result.current.run();
    });
    expect(result.current.error).toBeNull();
    expect(screen.getByTestId("error-banner").textContent).toContain("did not answer within 10 s");
  });

  it("ignores an older answer once a newer call was made", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const answers = [first.promise, second.promise];
    const { result } = renderHook(() => useCommand(() => answers.shift() as Promise<string>), { wrapper });
    let older!: Promise<unknown>;
    act(() => {
      older = result.current.run();
      void result.current.run();
    });
    await act(async () => second.resolve("new"));
    await act(async () => first.resolve("old"));
    await expect(older).resolves.toEqual({ status: "stale" });
    expect(result.current.data).toBe("new");
  });

  it("ignores an older failure once a newer call was made", async () => {
    const first = deferred<string>();
    const answers = [first.promise, Promise.resolve("new")];
    const { result } = renderHook(() => useCommand(() => answers.shift() as Promise<string>), { wrapper });
    await act(async () => {
      void result.current.run();
      await result.current.run();
    });
    await act(async () => first.reject(problem("storage", "database", { detail: "late" })));
    expect(result.current.error).toBeNull();
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("ignores an answer that arrives after unmount, even a failure", async () => {
    const answer = deferred<string>();
    let shown = 0;
    function Probe() {
      const { errors } = useErrors();
      shown = errors.length;
      return null;
    }
    function Caller() {
      const { run } = useCommand(() => answer.promise);
      return (
        <button type="button" onClick={() => void run()}>
          go
        </button>
      );
    }
    function Harness({ withCaller }: { withCaller: boolean }) {
      return (
        <ErrorProvider>
          <Probe />
          {withCaller && <Caller />}
        </ErrorProvider>
      );
    }
    const { rerender } = render(<Harness withCaller />);
    act(() => screen.getByRole("button").click());
    rerender(<Harness withCaller={false} />);
    await act(async () => answer.reject(problem("storage", "database", { detail: "late" })));
    expect(shown).toBe(0);
  });
});

describe("useLoad", () => {
  it("loads on mount, again when the loader changes, and ignores the older answer", async () => {
    const answers = new Map([
      ["Prod", deferred<string>()],
      ["Staging", deferred<string>()],
    ]);
    const { result, rerender } = renderHook(
      ({ name }: { name: string }) => useLoad(useCallback(() => answers.get(name)!.promise, [name])),
      { wrapper, initialProps: { name: "Prod" } },
    );
    expect(result.current.busy).toBe(true);
    rerender({ name: "Staging" });
    await act(async () => answers.get("Staging")!.resolve("staging data"));
    await act(async () => answers.get("Prod")!.resolve("prod data"));
    expect(result.current.data).toBe("staging data");
  });

  it("waits while there is nothing to load (null)", () => {
    const { result } = renderHook(() => useLoad<string>(null), { wrapper });
    expect(result.current.busy).toBe(false);
    expect(result.current.data).toBeUndefined();
  });

  it("loads again when the banner's keychain Retry asks screens to reload", async () => {
    let calls = 0;
    const load = async () => ++calls;
    const { result } = renderHook(() => ({ loaded: useLoad(load), errors: useErrors() }), { wrapper });
    await waitFor(() => expect(result.current.loaded.data).toBe(1));
    act(() => result.current.errors.requestReload());
    await waitFor(() => expect(result.current.loaded.data).toBe(2));
  });
});
