// Typed wrappers, one per Tauri command. Argument names are camelCase, as Tauri expects.
import type { AppInfo } from "../bindings/AppInfo";
import type { BotChat } from "../bindings/BotChat";
import type { CardCheck } from "../bindings/CardCheck";
import type { CardUpdate } from "../bindings/CardUpdate";
import type { CheckId } from "../bindings/CheckId";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { Delivery } from "../bindings/Delivery";
import type { DoctorReport } from "../bindings/DoctorReport";
import type { DoctorRun } from "../bindings/DoctorRun";
import type { ExportedTemplates } from "../bindings/ExportedTemplates";
import type { ImportReport } from "../bindings/ImportReport";
import type { IntegrationUrls } from "../bindings/IntegrationUrls";
import type { Language } from "../bindings/Language";
import type { PayloadImport } from "../bindings/PayloadImport";
import type { ProfileInput } from "../bindings/ProfileInput";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { RenderRequest } from "../bindings/RenderRequest";
import type { RenderedView } from "../bindings/RenderedView";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import type { SecretPresence } from "../bindings/SecretPresence";
import type { SecretsInput } from "../bindings/SecretsInput";
import type { SendTarget } from "../bindings/SendTarget";
import type { Settings } from "../bindings/Settings";
import type { SetupGuide } from "../bindings/SetupGuide";
import type { TemplateList } from "../bindings/TemplateList";
import type { Theme } from "../bindings/Theme";
import type { WizardProgress } from "../bindings/WizardProgress";
import { call } from "./invoke";

export const getSettings = () => call<Settings>("get_settings");
export const setLanguage = (language: Language | null) => call<Settings>("set_language", { language });
export const setTheme = (theme: Theme) => call<Settings>("set_theme", { theme });
export const appInfo = () => call<AppInfo>("app_info");

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
