// Typed wrappers, one per Tauri command. Argument names are camelCase, as Tauri expects.
import type { Notice } from "../bindings/Notice";
import type { NoticeKind } from "../bindings/NoticeKind";
import type { NoticeSetting } from "../bindings/NoticeSetting";
import type { AppInfo } from "../bindings/AppInfo";
import type { ApplyReport } from "../bindings/ApplyReport";
import type { BotChat } from "../bindings/BotChat";
import type { CardCheck } from "../bindings/CardCheck";
import type { CardUpdate } from "../bindings/CardUpdate";
import type { CheckId } from "../bindings/CheckId";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { CloseAction } from "../bindings/CloseAction";
import type { Delivery } from "../bindings/Delivery";
import type { DoctorReport } from "../bindings/DoctorReport";
import type { DoctorRun } from "../bindings/DoctorRun";
import type { ExportedTemplates } from "../bindings/ExportedTemplates";
import type { ImportReport } from "../bindings/ImportReport";
import type { IntegrationUrls } from "../bindings/IntegrationUrls";
import type { LabInput } from "../bindings/LabInput";
import type { LabReport } from "../bindings/LabReport";
import type { LongConnectionStatus } from "../bindings/LongConnectionStatus";
import type { Language } from "../bindings/Language";
import type { PayloadImport } from "../bindings/PayloadImport";
import type { Plan } from "../bindings/Plan";
import type { Platform } from "../bindings/Platform";
import type { ProfileInput } from "../bindings/ProfileInput";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { PublishReport } from "../bindings/PublishReport";
import type { QuotaSettings } from "../bindings/QuotaSettings";
import type { RecordDetail } from "../bindings/RecordDetail";
import type { RecordFilter } from "../bindings/RecordFilter";
import type { RecordSummary } from "../bindings/RecordSummary";
import type { RegistrationStarted } from "../bindings/RegistrationStarted";
import type { RegistrationStatus } from "../bindings/RegistrationStatus";
import type { RelaySettings } from "../bindings/RelaySettings";
import type { RelayStatus } from "../bindings/RelayStatus";
import type { RenderRequest } from "../bindings/RenderRequest";
import type { RenderedView } from "../bindings/RenderedView";
import type { ReplayResult } from "../bindings/ReplayResult";
import type { SavedRelaySettings } from "../bindings/SavedRelaySettings";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import type { SecretPresence } from "../bindings/SecretPresence";
import type { SecretsInput } from "../bindings/SecretsInput";
import type { SendTarget } from "../bindings/SendTarget";
import type { Settings } from "../bindings/Settings";
import type { SetupGuide } from "../bindings/SetupGuide";
import type { TemplateList } from "../bindings/TemplateList";
import type { Theme } from "../bindings/Theme";
import type { TriggerRequest } from "../bindings/TriggerRequest";
import type { TriggerResult } from "../bindings/TriggerResult";
import type { WizardProgress } from "../bindings/WizardProgress";
import type { QuotaView } from "../screens/quota/types";
import { call } from "./invoke";

export const getSettings = () => call<Settings>("get_settings");
export const noticeList = () => call<Notice[]>("notice_list");
export const noticeSettings = () => call<NoticeSetting[]>("notice_settings");
export const setNoticeEnabled = (kind: NoticeKind, enabled: boolean) =>
  call<NoticeSetting[]>("set_notice_enabled", { kind, enabled });
export const setLanguage = (language: Language | null) => call<Settings>("set_language", { language });
export const setTheme = (theme: Theme) => call<Settings>("set_theme", { theme });
export const appInfo = () => call<AppInfo>("app_info");
/** The proxy for every platform call: an http:// or https:// URL, or null for the system's. */
export const setProxy = (proxy: string | null) => call<Settings>("set_proxy", { proxy });
/** What closing the window does while a relay runs (null: ask at the next such close). */
export const setCloseAction = (action: CloseAction | null) => call<Settings>("set_close_action", { action });
/** The answer to the close question: done at once, remembered when `remember`. */
export const closeWindowChoice = (action: CloseAction, remember: boolean) =>
  call<void>("close_window_choice", { action, remember });
/** Stops the relay cleanly and quits the app. */
export const quitApp = () => call<void>("quit_app");
export const setLoginRelay = (name: string, on: boolean) => call<Settings>("set_login_relay", { name, on });
export const autostartEnabled = () => call<boolean>("autostart_enabled");
/** Turns start at login on or off; resolves to whether it is on now. */
export const setAutostart = (enabled: boolean) => call<boolean>("set_autostart", { enabled });
/** Resolves when the OS keychain answers; rejects with keychain_unavailable or keychain_timeout. */
export const keychainStatus = () => call<void>("keychain_status");

// ---- Profiles (Settings, Setup) ----

export const listProfiles = () => call<ProfileSummary[]>("list_profiles");
export const getProfile = (name: string) => call<ProfileSummary>("get_profile", { name });
/** Creates the profile; secrets go to the OS keychain, nothing is stored if that fails. */
export const addProfile = (input: ProfileInput) => call<ProfileSummary>("add_profile", { input });
export const renameProfile = (name: string, newName: string) => call<void>("rename_profile", { name, newName });
/** Deletes the profile, its keychain entries and its check history. */
export const deleteProfile = (name: string) => call<void>("delete_profile", { name });
export const setProfileSecrets = (name: string, secrets: SecretsInput) =>
  call<SecretPresence>("set_profile_secrets", { name, secrets });
/** Corrects a saved profile's App ID; its secrets and history stay. */
export const setProfileAppId = (name: string, appId: string) =>
  call<ProfileSummary>("set_profile_app_id", { name, appId });
/** The language of the profile's alert cards; null follows the app's language. */
export const setProfileCardLanguage = (name: string, language: Language | null) =>
  call<ProfileSummary>("set_profile_card_language", { name, language });
export const setProfileUrls = (name: string, urls: IntegrationUrls) =>
  call<IntegrationUrls>("set_profile_urls", { name, urls });
/** All profiles as JSON text, without any secret value. */
export const exportProfiles = () => call<string>("export_profiles");
export const importProfiles = (text: string) => call<ImportReport>("import_profiles", { text });
export const getWizardProgress = (name: string) => call<WizardProgress>("get_wizard_progress", { name });
export const setWizardProgress = (name: string, progress: WizardProgress) =>
  call<void>("set_wizard_progress", { name, progress });

// ---- Checks (Setup, Doctor) ----
/** Console deep links for the profile's app, the scope list to copy, events and callbacks. */
export const setupGuide = (name: string) => call<SetupGuide>("setup_guide", { name });
/** Runs the checks live and returns the outcomes for `ids` (all when empty), recorded in the history. */
export const runChecks = (name: string, ids: CheckId[], testChat?: string) =>
  call<CheckOutcome[]>("run_checks", { name, ids, testChat: testChat ?? null });
/** Every check at once; recorded in the history. `testChat` also sends a test card there. */
export const runDoctor = (name: string, testChat?: string) =>
  call<DoctorReport>("run_doctor", { name, testChat: testChat ?? null });
export const doctorHistory = (name: string) => call<DoctorRun[]>("doctor_history", { name });
/** The groups the bot is in (for the end-to-end test's picker). */
export const listBotChats = (name: string) => call<BotChat[]>("list_bot_chats", { name });
/** Whether the app runs against the built-in simulated tenant, and its profile's name. */
export const sandboxStatus = () => call<SandboxStatus>("sandbox_status");

// ---- Setup by API (Setup) ----
/** Starts a scan that creates a new app; the scan goes on in the background (poll its status). */
export const registrationStart = (platform: Platform, profileName: string, appName: string, reconfirm = false) =>
  call<RegistrationStarted>("registration_start", { platform, profileName, appName, reconfirm });
/** Where the scan is; once confirmed, the profile already exists (App Secret in the keychain). */
export const registrationStatus = (sessionId: string) => call<RegistrationStatus>("registration_status", { sessionId });
/** Stops waiting for the scan; true when one was waiting. */
export const registrationCancel = (sessionId: string) => call<boolean>("registration_cancel", { sessionId });
/** What Apply would change on the profile's app, read from the platform. */
export const setupPlan = (name: string, urls?: IntegrationUrls) => call<Plan>("setup_plan", { name, urls: urls ?? null });
/** Makes the plan's changes, and reads the plan back. */
export const setupApply = (name: string) => call<ApplyReport>("setup_apply", { name });
/** Publishes the waiting changes as a new version and says its state. */
export const setupPublish = (name: string, changelog?: string) =>
  call<PublishReport>("setup_publish", { name, changelog: changelog ?? null });
/** The state of a published version now (under review, online, rejected). */
export const setupVersionState = (name: string, versionId: string) =>
  call<PublishReport>("setup_version_state", { name, versionId });

// ---- Cards ----
/** The eight card templates (built-in, or the user's copy) and the folder that overrides them. */
export const listCardTemplates = () => call<TemplateList>("list_card_templates");
/** Copies the built-in templates into the templates folder to edit; existing files are kept. */
export const exportCardTemplates = () => call<ExportedTemplates>("export_card_templates");
/** Renders a template with the alerts (the digest uses all of them) and validates the result. */
export const renderCard = (request: RenderRequest) => call<RenderedView>("render_card", { request });
/** The validator's findings for card text, with its size against the 30 KB limit. */
export const validateCard = (text: string) => call<CardCheck>("validate_card", { text });
/** Reads an Alertmanager, Grafana or generic alert payload into alerts, with the field mapping. */
export const importAlertPayload = (body: string) => call<PayloadImport>("import_alert_payload", { body });
/** Sends the card text to every target, one result each (message ID, or the failure and its fix). */
export const sendCard = (name: string, card: string, targets: SendTarget[], requestId?: string) =>
  call<Delivery[]>("send_card", { name, card, targets, requestId: requestId ?? null });
/** Replaces the content of a card the app sent. */
export const updateCard = (name: string, messageId: string, card: string) =>
  call<CardUpdate>("update_card", { name, messageId, card });

// ---- Quota ----

/** The month's report for the profile's app, and the thresholds crossed for the first time. */
export const quotaReport = (name: string) => call<QuotaView>("quota_report", { name });
export const quotaSettings = (name: string) => call<QuotaSettings>("quota_settings", { name });
/** Saves the cap (`null` = unlimited) and time zone; returns what was stored. */
export const saveQuotaSettings = (name: string, settings: QuotaSettings) =>
  call<QuotaSettings>("save_quota_settings", { name, settings });
/** Records the admin console's month-to-date figure and when it was read (RFC 3339). */
export const setQuotaBaseline = (name: string, calls: number, at: string) =>
  call<QuotaSettings>("set_quota_baseline", { name, calls, at });

// ---- Relay ----
/** Starts the callback relay for the profile (a running one is stopped first). `bind` is the
 * listen IP (127.0.0.1 unless given; other addresses make the status carry a warning). */
export const relayStart = (name: string, settings: RelaySettings, bind?: string) =>
  call<RelayStatus>("relay_start", { name, settings, bind: bind ?? null });
/** Stops the relay; requests in flight are answered and recorded, queued events stay queued. */
export const relayStop = () => call<void>("relay_stop");
/** The running relay's listen address, callback URLs and warning; null when stopped. */
export const relayStatus = () => call<RelayStatus | null>("relay_status");
/** Recorded requests, newest first (works with the relay stopped). */
export const relayList = (filter: RecordFilter) => call<RecordSummary[]>("relay_list", { filter });
export const relayDetail = (id: number) => call<RecordDetail>("relay_detail", { id });
/** Sends a recorded request again, re-signed, to `url` or the profile's upstream. */
export const relayReplay = (id: number, url?: string) => call<ReplayResult>("relay_replay", { id, url: url ?? null });
export const relayResign = (profile: string, body: string, url?: string) =>
  call<ReplayResult>("relay_resign", { profile, body, url: url ?? null });
/** The recorded request as a curl command, without any secret. */
export const relayExportCurl = (id: number) => call<string>("relay_export_curl", { id });
/** A synthetic callback signed with the profile's keys, to the relay itself (no `url`) or a URL. */
export const relayTrigger = (name: string, request: TriggerRequest) =>
  call<TriggerResult>("relay_trigger", { name, request });
/** The signature lab: which scheme, which secret matches, the decrypted body, the clock skew. */
export const relayLab = (name: string, input: LabInput) => call<LabReport>("relay_lab", { name, input });
/** Starts the relay in long-connection mode (no listener; the app dials the platform). */
export const relayStartLongConnection = (name: string, settings: RelaySettings) =>
  call<LongConnectionStatus>("relay_start_long_connection", { name, settings });
/** The long connection's state, uptime and last message; null when that mode is off. */
export const relayLongConnectionStatus = () => call<LongConnectionStatus | null>("relay_long_connection_status");
/** What the profile's relay was last started with (default port 9400) and the callback URL last copied. */
export const relaySavedSettings = (name: string) => call<SavedRelaySettings>("relay_saved_settings", { name });
/** Remembers the callback URL the admin copied, to warn when the running relay's URL differs. */
export const relayMarkCopied = (name: string, url: string) => call<void>("relay_mark_copied", { name, url });
