// The card JSON: a textarea with line numbers, the validator's findings under it (a click
// selects the line the finding's JSON path points at), and the size against the 30 KB limit.
// Folded by default (the form and the preview come first); folded, its heading still says how
// the card fares.
import { useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { CardCheck } from "../../bindings/CardCheck";
import type { CardFinding } from "../../bindings/CardFinding";
import { Spinner } from "../../components/BusyButton";
import { CopyButton } from "../../components/CopyButton";
import { lineOfPath, lineRange, pathLines } from "./jsonPaths";

const LINE_HEIGHT_PX = 18;

interface CardEditorProps {
  text: string;
  check: CardCheck | null;
  rendering: boolean;
  validating: boolean;
  edited: boolean;
  onChange: (text: string) => void;
  onRerender: () => void;
}

export function CardEditor({ text, check, rendering, validating, edited, onChange, onRerender }: CardEditorProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const lineCount = text.split("\n").length;
  const numbers = Array.from({ length: lineCount }, (_, i) => i + 1).join("\n");

  // The validator sends a code and the values its sentence names (the tag, the limit, the
  // values allowed); the sentence is the catalogue's, in every language.
  function findingText(finding: CardFinding): string {
    return t(`cards.finding.${finding.code}`, finding.params);
  }

  function select(finding: CardFinding) {
    const el = area.current;
    if (!el) return;
    const line = finding.line ?? lineOfPath(text, finding.path, pathLines(text));
    const [start, end] = lineRange(text, line);
    el.focus();
    el.setSelectionRange(start, end);
    el.scrollTop = Math.max(0, (line - 4) * LINE_HEIGHT_PX);
    el.dataset.selectedLine = String(line);
    if (gutter.current) gutter.current.scrollTop = el.scrollTop;
  }

  const number = (n: number) => n.toLocaleString(i18n.language);
  const size = check?.sizeBytes;
  const percent = size !== undefined && check ? Math.round((size * 100) / Math.max(check.limitBytes, 1)) : 0;
  const sizeState = !check || size === undefined ? "unknown" : size > check.limitBytes ? "over" : size >= check.warnBytes ? "warn" : "ok";

  const status = !check
    ? ""
    : check.findings.length === 0
      ? t("cards.editor.noFindings")
      : t("cards.editor.findings", { errors: check.errors, warnings: check.warnings });

  return (
    <details className="panel cards-editor-panel" data-testid="card-editor">
      <summary className="cards-editor-panel__summary" data-testid="card-editor-toggle">
        <h2 id={`${id}-title`} className="panel__title">
          {t("cards.editor.title")}
        </h2>
        {status && (
          <span className={check && check.errors > 0 ? "field__error" : "muted"} data-testid="card-editor-status">
            {status}
          </span>
        )}
      </summary>
      <div className="cards-row" style={{ justifyContent: "flex-end" }}>
        <div className="cards-row">
          {(rendering || validating) && (
            <span className="muted loading-line" data-testid="editor-busy" role="status">
              <Spinner /> {rendering ? t("cards.editor.rendering") : t("cards.editor.validating")}
            </span>
          )}
          <CopyButton value={text} testId="editor-copy" what={t("cards.editor.copy")} />
        </div>
      </div>
      {edited && (
        <div className="sandbox-banner cards-row" role="note" data-testid="editor-edited">
          <span>{t("cards.editor.edited")}</span>
          <button type="button" className="button button--secondary button--small" data-testid="editor-rerender" onClick={onRerender}>
            {t("cards.editor.rerender")}
          </button>
        </div>
      )}
      <div className="cards-editor">
        <pre ref={gutter} className="cards-editor__gutter" aria-hidden="true">
          {numbers}
        </pre>
        <textarea
          ref={area}
          className="cards-editor__text"
          data-testid="card-json"
          aria-label={t("cards.editor.label")}
          aria-describedby={`${id}-summary`}
          value={text}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <div className="cards-size" data-testid="editor-size" data-state={sizeState} data-size={size ?? ""}>
        <span>
          {size !== undefined && check
            ? t("cards.editor.size", { size: number(size), limit: number(check.limitBytes), percent })
            : t("cards.editor.sizeUnknown")}
        </span>
        <div className="cards-size__bar" aria-hidden="true">
          <div className="cards-size__fill" style={{ width: `${Math.min(percent, 100)}%` }} />
        </div>
      </div>
      {check && (
        <>
          <p
            id={`${id}-summary`}
            className={check.findings.length === 0 ? "cards-ok" : "muted"}
            style={{ marginTop: 10 }}
            data-testid="editor-summary"
            data-errors={check.errors}
            data-warnings={check.warnings}
            role="status"
          >
            {check.findings.length === 0 ? t("cards.editor.noFindings") : t("cards.editor.findings", { errors: check.errors, warnings: check.warnings })}
          </p>
          {check.findings.length > 0 && (
            <ul className="cards-findings" aria-label={t("cards.editor.findingsLabel")} data-testid="editor-findings">
              {check.findings.map((finding, index) => (
                <li key={`${finding.path}-${finding.code}-${index}`}>
                  <button
                    type="button"
                    className="cards-finding"
                    data-testid={`finding-${index}`}
                    data-code={finding.code}
                    data-severity={finding.severity}
                    data-path={finding.path}
                    onClick={() => select(finding)}
                  >
                    <span className={`cards-severity cards-severity--${finding.severity}`}>{t(`cards.editor.severity.${finding.severity}`)}</span>
                    <span className="cards-finding__path">
                      {finding.path}
                      {finding.line !== undefined && ` · ${t("cards.editor.line", { line: finding.line })}`} · {finding.code}
                    </span>
                    <span className="cards-finding__message">{findingText(finding)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </details>
  );
}
