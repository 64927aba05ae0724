// The scan that creates a new app, as the window follows it. The scan itself runs in the core
// (one at a time); this keeps the window's side of it outside the step, so leaving the step and
// coming back picks up the same scan instead of losing it.
import * as commands from "../../../api/commands";
import type { Platform } from "../../../bindings/Platform";
import type { Problem } from "../../../bindings/Problem";
import type { RegistrationPhase } from "../../../bindings/RegistrationPhase";
import type { RegistrationStarted } from "../../../bindings/RegistrationStarted";
import type { RegistrationStatus } from "../../../bindings/RegistrationStatus";

/** What a scan was started with, to start it again ("Try again"). */
export interface ScanInputs {
  platform: Platform;
  profileName: string;
  appName: string;
  /** Confirm the profile's existing app again (by its ID) instead of creating one. */
  reconfirm?: boolean;
}

export interface ScanSession {
  inputs: ScanInputs;
  started: RegistrationStarted;
  /** The last status read; null before the first poll. */
  status: RegistrationStatus | null;
}

/** The new app's name unless the admin types another (also the new profile's). */
export const DEFAULT_APP_NAME = "Flashduty Alerts";

/** A free profile name: `base`, numbered when taken. */
export function freeName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} ${n}`;
    if (!used.has(name.toLowerCase())) return name;
  }
}

/** How often the window asks (tests shorten it). */
export const SCAN_POLL = { ms: 1000 };

/** The phases in which the platform is still waiting for the person. */
export function isWaiting(phase: RegistrationPhase): boolean {
  return phase === "waiting" || phase === "slowedDown";
}

export function phaseOf(session: ScanSession): RegistrationPhase {
  return session.status?.phase ?? "waiting";
}

let current: ScanSession | null = null;

/** The scan still waiting from an earlier visit to the step, if any. */
export function liveScan(): ScanSession | null {
  return current && isWaiting(phaseOf(current)) ? current : null;
}

export function rememberScan(session: ScanSession | null): void {
  current = session;
}

/** Stops waiting for the remembered scan (the admin chose the other way). */
export function cancelLiveScan(): void {
  const live = liveScan();
  current = null;
  if (live) commands.registrationCancel(live.started.sessionId).catch(() => undefined);
}

/** A start refused because the platform has no registration by scan (the platform's detail says so). */
export function isUnsupportedStart(problem: Problem): boolean {
  return problem.code === "registration_failed" && /does not offer app registration/i.test(problem.params.detail ?? "");
}

/** The QR code as an image address: the SVG drawn by the core, never put into the page as HTML. */
export function qrImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
