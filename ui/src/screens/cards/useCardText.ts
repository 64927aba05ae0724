// The card text in the editor, the one source of truth for the preview and for sending: the
// template renders it whenever the template or the alerts change, until the user edits the JSON
// by hand; hand-edited JSON is validated as it is typed. A render or validation overtaken by a
// newer one (or by a hand edit) is ignored.
import { useCallback, useEffect, useMemo, useState } from "react";
import * as commands from "../../api/commands";
import type { CardCheck } from "../../bindings/CardCheck";
import type { RenderRequest } from "../../bindings/RenderRequest";
import { useCommand } from "../../lib/useCommand";

const RENDER_DELAY_MS = 120;
const VALIDATE_DELAY_MS = 250;

/** The card JSON in `text`, or undefined when it does not parse (a JSON string holding a card is read once). */
export function parseCard(text: string): { card: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "string") return { card: JSON.parse(value) as unknown };
    return { card: value };
  } catch {
    return undefined;
  }
}

export interface CardText {
  text: string;
  /** The last card that parsed (the preview keeps it while the JSON is broken). */
  previewCard: unknown;
  jsonValid: boolean;
  /** Edited by hand: the template no longer renders over it. */
  edited: boolean;
  check: CardCheck | null;
  rendering: boolean;
  validating: boolean;
  /** Typed by hand. */
  type: (text: string) => void;
  /** Shows `text` as it is (what a card updated in a chat now shows). */
  show: (text: string) => void;
  /** Back to the template's rendering (also after the templates were reloaded). */
  rerender: () => void;
  /** Stops treating the text as hand-edited, so the next template change renders. */
  release: () => void;
}

export function useCardText(request: RenderRequest): CardText {
  const [text, setText] = useState("");
  const [previewCard, setPreviewCard] = useState<unknown>(null);
  const [edited, setEdited] = useState(false);
  const [check, setCheck] = useState<CardCheck | null>(null);
  const [renderAgain, setRenderAgain] = useState(0);
  const render = useCommand(commands.renderCard);
  const validate = useCommand(commands.validateCard);
  const { run: runRender, reset: dropRender } = render;
  const { run: runValidate, reset: dropValidate } = validate;
  const { kind, version, alerts, language } = request;

  /** Puts text in the editor and, when it parses, in the preview. */
  const apply = useCallback((next: string) => {
    setText(next);
    const parsed = parseCard(next);
    if (parsed) setPreviewCard(parsed.card);
  }, []);

  // Re-render from the template when the template or the alerts change (not while hand-edited).
  useEffect(() => {
    if (edited) return;
    const timer = window.setTimeout(async () => {
      const view = await runRender({ kind, version, alerts, language });
      if (view.status !== "done") return;
      apply(view.value.text);
      setCheck(view.value.check);
    }, RENDER_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      dropRender();
    };
  }, [kind, version, alerts, language, edited, renderAgain, apply, runRender, dropRender]);

  // Validate hand-edited JSON as it is typed.
  useEffect(() => {
    if (!edited) return;
    const timer = window.setTimeout(async () => {
      const result = await runValidate(text);
      if (result.status === "done") setCheck(result.value);
    }, VALIDATE_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      dropValidate();
    };
  }, [text, edited, runValidate, dropValidate]);

  const parsed = useMemo(() => parseCard(text), [text]);
  return {
    text,
    previewCard,
    // Nothing rendered yet is not broken JSON.
    jsonValid: (text === "" && !edited) || parsed !== undefined,
    edited,
    check,
    rendering: render.busy,
    validating: validate.busy,
    type: (next) => {
      setEdited(true);
      apply(next);
    },
    show: apply,
    rerender: () => {
      setEdited(false);
      setRenderAgain((n) => n + 1);
    },
    release: () => setEdited(false),
  };
}
