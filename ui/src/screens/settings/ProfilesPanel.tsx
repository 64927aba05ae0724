// Settings > Profiles: every profile with its platform, App ID and which secrets the keychain
// holds; rename inline, delete (with its keychain entries) after a confirmation, export to a
// JSON file without secrets, and import one, then say which secrets to enter.
import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import * as commands from "../../api/commands";
import type { ImportReport } from "../../bindings/ImportReport";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SecretKind } from "../../bindings/SecretKind";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { NotInApp } from "../../components/NotInApp";
import { problemMessage } from "../../errors/problemText";
import { downloadText, readFileText } from "../../lib/download";
import { useCommand } from "../../lib/useCommand";
import { useCurrentProfile } from "../../profiles/CurrentProfile";
import { platformLabel } from "../../profiles/platformLabel";
import { useProfileList } from "../../profiles/useProfileList";
import { useSettings } from "../../settings/SettingsContext";

const SECRET_KINDS: readonly SecretKind[] = ["appSecret", "verificationToken", "encryptKey"];
export const EXPORT_FILE_NAME = "lark-companion-profiles.json";

export function ProfilesPanel() {
  const { t } = useTranslation();
  const { insideApp } = useSettings();
  return (
    <section className="panel" aria-labelledby="profiles-title" data-testid="profiles-panel">
      <h2 id="profiles-title" className="panel__title">
        {t("settings.profiles.title")}
      </h2>
      {insideApp ? <Profiles /> : <NotInApp />}
    </section>
  );
}

async function exportToFile(): Promise<void> {
  downloadText(EXPORT_FILE_NAME, await commands.exportProfiles());
}

async function importFromFile(file: File): Promise<ImportReport> {
  return commands.importProfiles(await readFileText(file));
}

/** Saves the Credentials step as the profile's current one when it has none. */
async function openOnCredentials(name: string): Promise<void> {
  const progress = await commands.getWizardProgress(name);
  if (!progress.currentStep) await commands.setWizardProgress(name, { ...progress, currentStep: "credentials" });
}

function Profiles() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { profiles, sandbox, reload } = useProfileList();
  const { choose, renamed, removed } = useCurrentProfile();
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deletion = useCommand(commands.deleteProfile);
  const exporting = useCommand(exportToFile);
  const importing = useCommand(importFromFile);
  const opening = useCommand(openOnCredentials);
  const fileInput = useRef<HTMLInputElement>(null);
  const report = importing.busy ? null : (importing.data ?? null);

  async function confirmDelete() {
    if (!deleting) return;
    if ((await deletion.run(deleting)).status !== "done") return;
    removed(deleting);
    setNotice(t("settings.profiles.deleted", { name: deleting }));
    setDeleting(null);
    await reload();
  }

  async function exportAll() {
    if ((await exporting.run()).status === "done") setNotice(t("settings.profiles.exported", { file: EXPORT_FILE_NAME }));
  }

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const result = await importing.run(file);
    input.value = "";
    if (result.status !== "done") return;
    setNotice(null);
    await reload();
  }

  /** Opens the wizard on the profile's Credentials step (an imported profile has no progress yet). */
  async function enterSecrets(name: string) {
    choose(name);
    await opening.run(name);
    void navigate("/setup");
  }

  return (
    <>
      <p className="muted">{t("settings.profiles.intro")}</p>
      {profiles === null ? (
        <p className="muted loading-line">
          <Spinner /> {t("common.loading")}
        </p>
      ) : profiles.length === 0 ? (
        <p className="muted" data-testid="profiles-empty">
          {t("settings.profiles.empty")}
        </p>
      ) : (
        <table className="profile-table" data-testid="profiles-table">
          <thead>
            <tr>
              <th scope="col">{t("settings.profiles.name")}</th>
              <th scope="col">{t("settings.profiles.platform")}</th>
              <th scope="col">App ID</th>
              <th scope="col">{t("settings.profiles.secrets")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("settings.profiles.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((profile) => (
              <ProfileRow
                key={profile.name}
                profile={profile}
                sandbox={sandbox.active && sandbox.profile === profile.name}
                onRenamed={async (from, to) => {
                  renamed(from, to);
                  setNotice(t("settings.profiles.renamed", { from, to }));
                  await reload();
                }}
                onDelete={() => setDeleting(profile.name)}
              />
            ))}
          </tbody>
        </table>
      )}
      {notice && (
        <p className="saved-note" role="status" data-testid="profiles-notice">
          {notice}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button"
          data-testid="profiles-new"
          onClick={() => void navigate("/setup", { state: { newProfile: true } })}
        >
          {t("settings.profiles.new")}
        </button>
        <BusyButton testId="profiles-export" secondary busy={exporting.busy} busyLabel={t("common.saving")} disabled={!profiles?.length} onClick={() => void exportAll()}>
          {t("settings.profiles.export")}
        </BusyButton>
        <span className="file-button">
          <input
            ref={fileInput}
            id="profiles-import-file"
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            data-testid="profiles-import-file"
            disabled={importing.busy}
            onChange={(event) => void importFile(event)}
          />
          <label htmlFor="profiles-import-file" className="button button--secondary" data-testid="profiles-import" aria-busy={importing.busy}>
            {importing.busy && <Spinner />}
            {importing.busy ? t("settings.profiles.importing") : t("settings.profiles.import")}
          </label>
        </span>
      </div>
      <p className="field__hint">{t("settings.profiles.exportNote")}</p>
      {report && <ImportResult report={report} onEnterSecrets={(name) => void enterSecrets(name)} />}
      {deleting && (
        <ConfirmDialog
          title={t("settings.profiles.deleteTitle", { name: deleting })}
          confirmLabel={t("settings.profiles.deleteConfirm")}
          busy={deletion.busy}
          busyLabel={t("settings.profiles.deleting")}
          danger
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDeleting(null)}
        >
          <p data-testid="confirm-dialog-text">{t("settings.profiles.deleteText", { name: deleting })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

interface ProfileRowProps {
  profile: ProfileSummary;
  sandbox: boolean;
  onRenamed: (from: string, to: string) => Promise<void>;
  onDelete: () => void;
}

function ProfileRow({ profile, sandbox, onRenamed, onDelete }: ProfileRowProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(profile.name);
  const [empty, setEmpty] = useState(false);
  // A refused name goes under the field, any other failure to the banner.
  const renaming = useCommand(commands.renameProfile, { fields: ["name", "newName"] });
  const { reset: forgetRefusal } = renaming;
  const busy = renaming.busy;
  const refused = renaming.fieldError;
  const error = empty ? t("settings.profiles.nameEmpty") : refused ? problemMessage(t, refused.problem) : null;
  const clearError = () => {
    setEmpty(false);
    forgetRefusal();
  };
  const renameButton = useRef<HTMLButtonElement>(null);
  const renameInput = useRef<HTMLInputElement>(null);
  const name = profile.name;

  // The editor opens with the cursor in it (what Rename was pressed for).
  useEffect(() => {
    if (editing) renameInput.current?.focus();
  }, [editing]);

  function cancel() {
    setEditing(false);
    clearError();
    setValue(name);
    // Back to the button that opened the editor, once it is rendered again.
    setTimeout(() => renameButton.current?.focus(), 0);
  }

  async function save() {
    const next = value.trim();
    if (!next || next === name) {
      if (!next) setEmpty(true);
      else cancel();
      return;
    }
    if ((await renaming.run(name, next)).status !== "done") return;
    setEditing(false);
    await onRenamed(name, next);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      void save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      cancel();
    }
  }

  const inputId = `profile-rename-input-${name}`;
  return (
    <tr data-testid={`profile-row-${name}`}>
      <th scope="row">
        {editing ? (
          <div className="rename">
            <label htmlFor={inputId} className="visually-hidden">
              {t("settings.profiles.renameLabel", { name })}
            </label>
            <input
              id={inputId}
              className="input"
              data-testid={inputId}
              ref={renameInput}
              value={value}
              disabled={busy}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${inputId}-help`}
              onChange={(e) => {
                clearError();
                setValue(e.target.value);
              }}
              onKeyDown={onKeyDown}
            />
            <p id={`${inputId}-help`} className={error ? "field__error" : "field__hint"} data-testid={error ? `profile-rename-error-${name}` : undefined}>
              {error ?? t("settings.profiles.renameHelp")}
            </p>
          </div>
        ) : (
          <span className="profile-name">
            {name}
            {sandbox && <span className="badge badge--sandbox">{t("sandbox.tag")}</span>}
          </span>
        )}
      </th>
      <td>{platformLabel(profile.platform, t)}</td>
      <td className="mono">{profile.appId}</td>
      <td>
        <ul className="secret-presence">
          {SECRET_KINDS.map((kind) => (
            <li
              key={kind}
              data-testid={`profile-secret-${name}-${kind}`}
              data-present={profile.secrets[kind]}
              className={profile.secrets[kind] ? "secret-presence--yes" : "secret-presence--no"}
            >
              <span aria-hidden="true">{profile.secrets[kind] ? "✓" : "—"}</span> {t(`secrets.${kind}`)}
              <span className={profile.secrets[kind] ? "visually-hidden" : "secret-presence__missing"}>
                {profile.secrets[kind] ? t("settings.profiles.stored") : t("settings.profiles.missing")}
              </span>
            </li>
          ))}
        </ul>
      </td>
      <td>
        {/* The flex row sits inside the cell: a cell that is itself flex leaves the table's row. */}
        <div className="row-actions">
          {!editing && (
            <button
              ref={renameButton}
              type="button"
              className="button button--secondary button--small"
              data-testid={`profile-rename-${name}`}
              aria-label={t("settings.profiles.renameWhat", { name })}
              onClick={() => {
                setValue(name);
                setEditing(true);
              }}
            >
              {t("settings.profiles.rename")}
            </button>
          )}
          <button
            type="button"
            className="button button--danger-outline button--small"
            data-testid={`profile-delete-${name}`}
            aria-label={t("settings.profiles.deleteWhat", { name })}
            onClick={onDelete}
          >
            {t("settings.profiles.delete")}
          </button>
        </div>
      </td>
    </tr>
  );
}

function ImportResult({ report, onEnterSecrets }: { report: ImportReport; onEnterSecrets: (name: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="import-report" role="status" data-testid="import-report">
      <p>
        <strong>{t("settings.profiles.imported", { count: report.profiles.length })}</strong>
      </p>
      <ul>
        {report.profiles.map((profile) => (
          <li key={profile.name} data-testid={`import-report-${profile.name}`}>
            <span className="profile-name">{profile.name}</span>:{" "}
            {profile.secretsToEnter.length > 0
              ? t("settings.profiles.enterSecrets", {
                  secrets: profile.secretsToEnter.map((kind) => t(`secrets.${kind}`)).join(t("common.listSeparator")),
                })
              : t("settings.profiles.nothingToEnter")}
            {profile.secretsToEnter.length > 0 && (
              <button
                type="button"
                className="button button--secondary button--small"
                data-testid={`import-enter-secrets-${profile.name}`}
                onClick={() => onEnterSecrets(profile.name)}
              >
                {t("settings.profiles.enterSecretsButton")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
