// Step 6, by hand (for apps Apply may not change): the scopes to request, as a list to paste
// into the console's batch import.
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { CopyButton } from "../../components/CopyButton";
import { GuideMissing } from "./GuideMissing";
import { StepChecks } from "./StepChecks";
import { ByHandNote } from "./ByHandNote";
import { StepFrame } from "./StepFrame";
import { useWizard } from "./WizardContext";

export function ScopesStep() {
  const { t, i18n } = useTranslation();
  const { guide } = useWizard();
  const listId = useId();
  const why = (scope: string) => {
    const key = `setup.scopes.why.${scopeKey(scope)}`;
    return i18n.exists(key) ? t(key) : null;
  };

  return (
    <StepFrame step="scopes">
      <ByHandNote />
      {guide ? (
        <>
          <div className="scope-columns">
            <div>
              <h3>{t("setup.scopes.required")}</h3>
              <ul className="scope-list" data-testid="scopes-required">
                {guide.requiredScopes.map((scope) => (
                  <li key={scope}>
                    <code>{scope}</code> <span className="muted">{why(scope)}</span>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>{t("setup.scopes.optional")}</h3>
              <ul className="scope-list" data-testid="scopes-optional">
                {guide.optionalScopes.map((scope) => (
                  <li key={scope}>
                    <code>{scope}</code> <span className="muted">{why(scope)}</span>
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <div className="field">
            <label htmlFor={listId}>{t("setup.scopes.listLabel")}</label>
            <textarea
              id={listId}
              className="input input--mono scope-textarea"
              data-testid="scopes-list"
              readOnly
              rows={guide.scopeList.split("\n").length}
              value={guide.scopeList}
            />
            <p className="field__hint">{t("setup.scopes.listHint")}</p>
          </div>
          <div className="actions">
            <CopyButton value={guide.scopeList} testId="scopes-copy-list" what={t("setup.scopes.listLabel")} />
            <ConsoleLinkButton link={guide.links.scopes} testId="scopes-open-console" label={t("setup.links.scopes")} />
          </div>
        </>
      ) : (
        <GuideMissing />
      )}
      <p className="muted">{t("setup.scopes.publishNote")}</p>
      <StepChecks step="scopes" testId="scopes-check" />
    </StepFrame>
  );
}

/** i18n keys cannot hold ":" or ".": im:message.group_msg → im_message_group_msg. */
function scopeKey(scope: string): string {
  return scope.replace(/[:.]/g, "_");
}
