// Sample payloads shaped like the Rust side's, for the screen tests.
import type { CheckFinding } from "../bindings/CheckFinding";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { Problem } from "../bindings/Problem";
import type { ProblemCode } from "../bindings/ProblemCode";
import type { ProblemKind } from "../bindings/ProblemKind";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { SetupGuide } from "../bindings/SetupGuide";

export const APP_ID = "cli_a1b2c3d4e5f60718";

export function profile(name: string, overrides: Partial<ProfileSummary> = {}): ProfileSummary {
  return {
    name,
    platform: { kind: "feishu" },
    appId: APP_ID,
    urls: { webConfigUrl: null, redirectUrl: null, cardRequestUrl: null },
    secrets: { appSecret: true, verificationToken: true, encryptKey: false },
    cardLanguage: null,
    createdAt: "2026-11-20T09:00:00Z",
    updatedAt: "2026-11-20T09:00:00Z",
    ...overrides,
  };
}

/**
 * A Problem as a command rejects with it: the code with its kind (as problem.rs pairs them), the
 * values of its sentence, and a field or a fix where the Rust side gives one.
 */
export function problem(
  kind: ProblemKind,
  code: ProblemCode,
  params: Record<string, string> = {},
  extra: Pick<Problem, "field" | "fix"> = {},
): Problem {
  return { code, kind, params, ...extra };
}

/** The keychain did not answer in time (the banner offers Retry). */
export const KEYCHAIN_TIMEOUT: Problem = problem("keychain_timeout", "keychain_timeout", { seconds: "10" }, { fix: { code: "keychain_busy" } });

export function guide(appId = APP_ID): SetupGuide {
  const base = `https://open.feishu.cn/app/${appId}`;
  return {
    links: {
      appList: "https://open.feishu.cn/app",
      credentials: `${base}/baseinfo`,
      eventsAndCallbacks: `${base}/event`,
      bot: `${base}/bot`,
      webApp: `${base}/web-app`,
      security: `${base}/safe`,
      scopes: `${base}/auth`,
      versions: `${base}/version`,
    },
    requiredScopes: ["im:chat", "im:message"],
    optionalScopes: ["contact:user.id:readonly", "im:message.group_msg"],
    scopeList: "im:chat\nim:message\ncontact:user.id:readonly\nim:message.group_msg",
    events: ["im.chat.disbanded_v1", "im.message.receive_v1"],
    callbacks: ["card.action.trigger", "card.action.trigger_v1"],
  };
}

export function outcome(
  id: CheckOutcome["id"],
  status: CheckOutcome["status"],
  finding: CheckFinding,
  extra: Partial<CheckOutcome> = {},
): CheckOutcome {
  return { id, status, finding, params: {}, ...extra };
}
