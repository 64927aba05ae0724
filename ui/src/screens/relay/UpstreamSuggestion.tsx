// The profile's saved Message Card Request URL, offered in one click for an upstream field
// (where a relay normally forwards to). Hidden once the field holds it.
import { useId } from "react";
import { useTranslation } from "react-i18next";

interface UpstreamSuggestionProps {
  url: string | null;
  current: string;
  onUse: (url: string) => void;
  testId: string;
}

export function UpstreamSuggestion({ url, current, onUse, testId }: UpstreamSuggestionProps) {
  const { t } = useTranslation();
  const id = useId();
  const suggestion = url?.trim() || null;
  if (!suggestion || current.trim() === suggestion) return null;
  return (
    <span className="relay-suggest">
      <button type="button" className="button button--secondary button--small" data-testid={testId} aria-describedby={id} onClick={() => onUse(suggestion)}>
        {t("relay.settings.useCardUrl")}
      </button>{" "}
      <code id={id} className="mono field__hint" data-testid={`${testId}-url`}>
        {suggestion}
      </code>
    </span>
  );
}
