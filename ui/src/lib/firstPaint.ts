// Tells the app when the first screen has been painted (its title is on screen and two frames
// have passed), so the log says how long start-up took and the start-up benchmark can read it
// (docs/benchmarks.md). Failures are ignored: this only measures.
import { call } from "../api/invoke";

export function reportFirstPaint(doc: Document = document): void {
  const painted = () => {
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        call<number>("ui_painted").catch(() => undefined);
      }),
    );
  };
  if (doc.querySelector('[data-testid="screen-title"]')) {
    painted();
    return;
  }
  const observer = new MutationObserver(() => {
    if (doc.querySelector('[data-testid="screen-title"]')) {
      observer.disconnect();
      painted();
    }
  });
  observer.observe(doc.body, { childList: true, subtree: true });
}
