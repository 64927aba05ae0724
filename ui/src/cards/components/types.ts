// What every card component renderer receives, shared by CardPreview.tsx and components/*.tsx.
import type { CardAction } from "../callback";
import type { MarkdownContext } from "../markdown";
import type { CardSchema } from "../model";

/** Labels for the few words the preview adds itself (translated by the screen). */
export interface PreviewLabels {
  imageNotFetched: string;
  notDrawn: string;
  confirm: string;
  cancel: string;
  emptyCard: string;
  /** A select menu's placeholder when the card gives none. */
  select: string;
  selectPerson: string;
  selectDate: string;
  selectTime: string;
  selectDateTime: string;
  /** The chart placeholder's caption. */
  chart: string;
  /** The overflow (…) menu's accessible name. */
  more: string;
}

export const DEFAULT_LABELS: PreviewLabels = {
  imageNotFetched: "Image not fetched",
  notDrawn: "Not drawn in the preview",
  confirm: "Confirm",
  cancel: "Cancel",
  emptyCard: "This card has no content yet.",
  select: "Select",
  selectPerson: "Select a person",
  selectDate: "Select a date",
  selectTime: "Select a time",
  selectDateTime: "Select a date and time",
  chart: "Chart",
  more: "More",
};

export interface Ctx {
  schema: CardSchema;
  md: MarkdownContext;
  labels: PreviewLabels;
  click: (action: CardAction, confirm: unknown) => void;
}

/** The props every component renderer takes. */
export interface ElementProps {
  element: Record<string, unknown>;
  path: string;
  ctx: Ctx;
}
