// Desktop notifications for quota thresholds through the webview's Notification API, when it
// exists and the user allows it. The in-app banner is shown regardless.
export interface Notice {
  title: string;
  body: string;
  tag: string;
}

export async function notifyDesktop(notice: Notice): Promise<boolean> {
  const N = (globalThis as { Notification?: typeof Notification }).Notification;
  if (typeof N !== "function") return false;
  try {
    let permission = N.permission;
    if (permission === "default" && typeof N.requestPermission === "function") {
      permission = await N.requestPermission();
    }
    if (permission !== "granted") return false;
    new N(notice.title, { body: notice.body, tag: notice.tag });
    return true;
  } catch {
    return false;
  }
}
