// Opens a developer-console page in the system browser. The capability only allows
// open.feishu.cn, open.larksuite.com and the sandbox's simulated console on 127.0.0.1, so a
// rejection is reported like any other error.
import { openUrl } from "@tauri-apps/plugin-opener";
import { CommandError, internalProblem, isInsideApp, toCommandError } from "./invoke";

export async function openConsoleLink(link: string): Promise<void> {
  if (!isInsideApp()) {
    window.open(link, "_blank", "noopener,noreferrer");
    return;
  }
  try {
    await openUrl(link);
  } catch (rejection) {
    const error = toCommandError(rejection);
    throw new CommandError(internalProblem(`Could not open ${link}: ${error.params.detail ?? error.message}`));
  }
}
