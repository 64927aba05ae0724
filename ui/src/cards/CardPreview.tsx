// The card preview: draws card JSON 2.0 and 1.0 the way the Feishu/Lark client does (header in
// its template colour, markdown, div fields, column sets, images as placeholders, dividers,
// notes, buttons with their styles and confirm dialogs), in light or dark, at desktop (600 px)
// or mobile (375 px) width. Every text is a React text node; nothing is injected as HTML.
// Clicks never navigate: they are reported through `onAction` so the screen can show the
// callback Feishu would send.
import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from "react";
import type { CardAction } from "./callback";
import { extraElement } from "./components";
import { Text } from "./components/Text";
import { DEFAULT_LABELS, type Ctx, type PreviewLabels } from "./components/types";
import { Markdown, type MarkdownContext } from "./markdown";
import { asArray, asString, bodyElements, childPath, isObject, schemaOf, textObject } from "./model";
import { blockBackground, customColours, headerColours, headerTemplate, tagColours, textColour } from "./palette";
import { customSizes, textSizeStyle } from "./textSize";
import "./CardPreview.css";

export type { PreviewLabels } from "./components/types";
export type PreviewTheme = "light" | "dark";
export type PreviewWidth = "desktop" | "mobile";

/** Card widths in CSS pixels, as the clients lay cards out. */
export const CARD_WIDTH: Record<PreviewWidth, number> = { desktop: 600, mobile: 375 };

export interface CardPreviewProps {
  card: unknown;
  theme: PreviewTheme;
  width: PreviewWidth;
  onAction?: (action: CardAction) => void;
  /** Labels for the few words the preview adds itself (translated by the screen). */
  labels?: Partial<PreviewLabels>;
}

interface PendingConfirm {
  action: CardAction;
  title: string;
  text: string;
}

export function CardPreview({ card, theme, width, onAction, labels }: CardPreviewProps) {
  const [pending, setPending] = useState<PendingConfirm | null>(null);
  const dark = theme === "dark";
  const schema = schemaOf(card);
  const allLabels = { ...DEFAULT_LABELS, ...labels };
  const report = (action: CardAction) => onAction?.(action);
  const ctx: Ctx = {
    schema,
    labels: allLabels,
    md: {
      dark,
      mobile: width === "mobile",
      colours: customColours(card),
      sizes: customSizes(card),
      onOpenUrl: (url) => report({ kind: "open_url", tag: "link", url, path: "", label: url }),
    },
    click: (action, confirm) => {
      if (isObject(confirm)) {
        setPending({
          action,
          title: textObject(confirm.title)?.content ?? "",
          text: textObject(confirm.text)?.content ?? "",
        });
      } else {
        report(action);
      }
    },
  };
  const { elements, path } = bodyElements(card);
  const header = isObject(card) && isObject(card.header) ? card.header : null;

  return (
    <div
      className="lc-card"
      data-testid="card-preview"
      data-schema={schema}
      data-theme={theme}
      data-width={width}
      style={{ width: CARD_WIDTH[width] }}
    >
      {header && <CardHeader header={header} dark={dark} md={ctx.md} />}
      <div className="lc-card__body">
        {elements.length === 0 ? (
          <p className="lc-muted" data-testid="card-empty">
            {allLabels.emptyCard}
          </p>
        ) : (
          <Elements elements={elements} path={path} ctx={ctx} />
        )}
      </div>
      {pending && (
        <ConfirmDialog
          pending={pending}
          labels={allLabels}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            report(pending.action);
          }}
        />
      )}
    </div>
  );
}

function CardHeader({ header, dark, md }: { header: Record<string, unknown>; dark: boolean; md: MarkdownContext }) {
  const template = headerTemplate(header.template);
  const colours = headerColours(template, dark);
  const title = textObject(header.title);
  const subtitle = textObject(header.subtitle);
  const tags = asArray(header.text_tag_list).filter(isObject);
  return (
    <div
      className={`lc-card__header lc-card__header--${template}`}
      data-testid="card-header"
      data-template={template}
      style={{ background: colours.background, color: colours.text }}
    >
      <div className="lc-card__header-text">
        <div className="lc-card__title" data-testid="card-header-title">
          {title?.tag === "lark_md" ? <Markdown content={title.content} dialect="lark_md" ctx={md} /> : (title?.content ?? "")}
        </div>
        {subtitle?.content && (
          <div className="lc-card__subtitle" data-testid="card-header-subtitle" style={{ color: colours.subtitle }}>
            {subtitle.content}
          </div>
        )}
      </div>
      {tags.length > 0 && (
        <div className="lc-card__header-tags">
          {tags.map((tag, index) => {
            const tc = tagColours(tag.color, dark);
            return (
              <span
                key={index}
                className="lc-tag lc-tag--header"
                data-testid="card-header-tag"
                data-color={asString(tag.color) ?? ""}
                style={{ background: tc.background, color: tc.text }}
              >
                {textObject(tag.text)?.content ?? ""}
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}

function Elements({ elements, path, ctx }: { elements: unknown[]; path: string; ctx: Ctx }) {
  return (
    <>
      {elements.map((element, index) => (
        <Element key={index} element={element} path={childPath(path, index)} ctx={ctx} />
      ))}
    </>
  );
}

function textStyle(element: Record<string, unknown>, ctx: Ctx): CSSProperties | undefined {
  const colour = textColour(element.text_color, ctx.md.dark, ctx.md.colours);
  const align = asString(element.text_align);
  const style: CSSProperties = textSizeStyle(element.text_size, ctx.md.mobile === true, ctx.md.sizes);
  if (colour) style.color = colour;
  if (align === "center" || align === "right" || align === "left") style.textAlign = align;
  return Object.keys(style).length > 0 ? style : undefined;
}

function sizeClass(size: unknown): string {
  const value = asString(size);
  return value ? ` lc-size--${value.replace(/[^a-z_-]/gi, "")}` : "";
}

function Element({ element, path, ctx }: { element: unknown; path: string; ctx: Ctx }): ReactNode {
  if (!isObject(element)) return null;
  const tag = asString(element.tag) ?? "";
  switch (tag) {
    case "markdown":
      return (
        <div
          className={`lc-markdown${sizeClass(element.text_size)}`}
          data-testid="card-markdown"
          data-path={path}
          style={textStyle(element, ctx)}
        >
          <Markdown content={asString(element.content) ?? textObject(element)?.content ?? ""} dialect={ctx.schema === "2.0" ? "markdown2" : "markdown1"} ctx={ctx.md} />
        </div>
      );
    case "div":
      return <Div element={element} path={path} ctx={ctx} />;
    case "plain_text":
    case "lark_md":
      return (
        <div className="lc-div" data-testid="card-text" data-path={path}>
          <Text text={element} ctx={ctx} />
        </div>
      );
    case "hr":
      return <hr className="lc-hr" data-testid="card-hr" data-path={path} />;
    case "img":
    case "image":
      return <Image element={element} path={path} ctx={ctx} />;
    case "note":
      return (
        <div className="lc-note" data-testid="card-note" data-path={path}>
          {asArray(element.elements).map((item, index) =>
            isObject(item) && (item.tag === "img" || item.tag === "image") ? (
              <span key={index} className="lc-note__img" title={asString(item.img_key) ?? ""} aria-hidden="true" />
            ) : (
              <span key={index} className="lc-note__text">
                <Text text={item} ctx={ctx} />
              </span>
            ),
          )}
        </div>
      );
    case "action":
      return (
        <div className={`lc-actions lc-actions--${asString(element.layout) ?? "flow"}`} data-testid="card-action" data-path={path}>
          {asArray(element.actions).map((item, index) => (
            <Element key={index} element={item} path={childPath(childPath(path, "actions"), index)} ctx={ctx} />
          ))}
        </div>
      );
    case "button":
      return <Button element={element} path={path} ctx={ctx} />;
    case "column_set":
      return <ColumnSet element={element} path={path} ctx={ctx} />;
    case "column":
      return <Column element={element} path={path} ctx={ctx} width="weighted" />;
    case "interactive_container":
    case "form":
    case "collapsible_panel":
      return <Container element={element} path={path} ctx={ctx} tag={tag} />;
    default: {
      const extra = extraElement({ element, path, ctx });
      if (extra) return extra;
      return (
        <div className="lc-unsupported" data-testid="card-unsupported" data-tag={tag} data-path={path}>
          <code>{tag || "?"}</code> · {ctx.labels.notDrawn}
        </div>
      );
    }
  }
}

function Div({ element, path, ctx }: { element: Record<string, unknown>; path: string; ctx: Ctx }) {
  const fields = asArray(element.fields).filter(isObject);
  const extra = isObject(element.extra) ? element.extra : null;
  const textValue = isObject(element.text) ? element.text : null;
  return (
    <div className={`lc-div${extra ? " lc-div--extra" : ""}`} data-testid="card-div" data-path={path}>
      <div className="lc-div__main">
        {textValue && (
          <div className={`lc-div__text${sizeClass(textValue.text_size)}`} style={textStyle(textValue, ctx)}>
            <Text text={textValue} ctx={ctx} />
          </div>
        )}
        {fields.length > 0 && (
          <div className="lc-fields">
            {fields.map((field, index) => (
              <div
                key={index}
                className={field.is_short === true ? "lc-field lc-field--short" : "lc-field"}
                data-testid="card-field"
                data-short={field.is_short === true ? "true" : "false"}
                data-path={childPath(childPath(path, "fields"), index)}
              >
                <Text text={field.text} ctx={ctx} />
              </div>
            ))}
          </div>
        )}
      </div>
      {extra && (
        <div className="lc-div__extra">
          <Element element={extra} path={childPath(path, "extra")} ctx={ctx} />
        </div>
      )}
    </div>
  );
}

function Image({ element, path, ctx }: { element: Record<string, unknown>; path: string; ctx: Ctx }) {
  const alt = textObject(element.alt)?.content || textObject(element.title)?.content || "";
  const key = asString(element.img_key) ?? "";
  return (
    <figure className="lc-img" data-testid="card-img" data-path={path} role="img" aria-label={alt || ctx.labels.imageNotFetched}>
      <div className="lc-img__box">
        <span className="lc-img__alt">{alt || ctx.labels.imageNotFetched}</span>
        {key && <code className="lc-img__key">{key}</code>}
      </div>
    </figure>
  );
}

/** The action a button performs, as the platform reads 2.0 behaviours and 1.0 fields. */
function buttonAction(element: Record<string, unknown>, path: string, label: string): CardAction | null {
  const name = asString(element.name) ?? undefined;
  const behaviors = asArray(element.behaviors).filter(isObject);
  if (behaviors.length > 0) {
    const callback = behaviors.find((b) => b.type === "callback" || b.type === "form_action");
    const open = behaviors.find((b) => b.type === "open_url");
    const url = open ? (asString(open.default_url) ?? asString(open.pc_url) ?? undefined) : undefined;
    if (callback) return { kind: "callback", tag: "button", value: callback.value ?? {}, url, name, path, label };
    if (url) return { kind: "open_url", tag: "button", url, name, path, label };
    return null;
  }
  const multi = isObject(element.multi_url) ? element.multi_url : null;
  const url = asString(element.url) ?? (multi ? (asString(multi.url) ?? asString(multi.pc_url)) : null) ?? undefined;
  const hasValue = element.value !== undefined;
  if (url && (!hasValue || element.complex_interaction !== true)) return { kind: "open_url", tag: "button", url, name, path, label };
  if (hasValue || element.action_type === "form_submit" || element.form_action_type) {
    return { kind: "callback", tag: "button", value: element.value ?? {}, url, name, path, label };
  }
  return null;
}

const BUTTON_TYPES = ["default", "primary", "danger", "text", "primary_text", "danger_text", "primary_filled", "danger_filled", "laser"];

function Button({ element, path, ctx }: { element: Record<string, unknown>; path: string; ctx: Ctx }) {
  const label = textObject(element.text)?.content ?? "";
  const rawType = asString(element.type) ?? "default";
  const type = BUTTON_TYPES.includes(rawType) ? rawType : "default";
  const disabled = element.disabled === true;
  const action = buttonAction(element, path, label);
  const width = asString(element.width);
  return (
    <button
      type="button"
      className={`lc-button lc-button--${type}${width === "fill" ? " lc-button--fill" : ""}${sizeClass(element.size)}`}
      data-testid="card-button"
      data-type={type}
      data-path={path}
      data-confirm={isObject(element.confirm) ? "true" : undefined}
      disabled={disabled}
      onClick={() => action && ctx.click(action, element.confirm)}
    >
      {label}
    </button>
  );
}

function spacing(value: unknown): string | undefined {
  const named: Record<string, string> = { small: "4px", default: "8px", medium: "8px", large: "12px", extra_large: "16px" };
  const text = asString(value);
  if (!text) return undefined;
  if (named[text]) return named[text];
  return /^\d{1,3}px$/.test(text) ? text : undefined;
}

function ColumnSet({ element, path, ctx }: { element: Record<string, unknown>; path: string; ctx: Ctx }) {
  const mode = asString(element.flex_mode) ?? "none";
  const background = blockBackground(element.background_style, ctx.md.dark, ctx.md.colours);
  const columns = asArray(element.columns);
  const style: CSSProperties = { gap: spacing(element.horizontal_spacing) ?? "8px" };
  if (background) {
    style.background = background;
    style.padding = "8px";
  }
  return (
    <div
      className={`lc-columns lc-columns--${mode.replace(/[^a-z]/g, "")}`}
      data-testid="card-column-set"
      data-flex-mode={mode}
      data-path={path}
      style={style}
    >
      {columns.map((column, index) =>
        isObject(column) ? (
          <Column key={index} element={column} path={childPath(childPath(path, "columns"), index)} ctx={ctx} width={asString(column.width) ?? "auto"} />
        ) : null,
      )}
    </div>
  );
}

function Column({ element, path, ctx, width }: { element: Record<string, unknown>; path: string; ctx: Ctx; width: string }) {
  const style: CSSProperties = {};
  if (width === "weighted") {
    const weight = typeof element.weight === "number" && element.weight > 0 ? element.weight : 1;
    Object.assign(style, { flexGrow: weight, flexShrink: 1, flexBasis: 0 });
  } else if (/^\d{1,4}px$/.test(width)) {
    Object.assign(style, { flexGrow: 0, flexShrink: 0, flexBasis: width });
  } else {
    Object.assign(style, { flexGrow: 0, flexShrink: 0, flexBasis: "auto" });
  }
  const background = blockBackground(element.background_style, ctx.md.dark, ctx.md.colours);
  if (background) {
    style.background = background;
    style.padding = "8px";
  }
  const align = asString(element.vertical_align);
  if (align === "center") style.alignSelf = "center";
  if (align === "bottom") style.alignSelf = "flex-end";
  const gap = spacing(element.vertical_spacing);
  if (gap) style.gap = gap;
  return (
    <div className="lc-column" data-testid="card-column" data-width={width} data-path={path} style={style}>
      <Elements elements={asArray(element.elements)} path={childPath(path, "elements")} ctx={ctx} />
    </div>
  );
}

function Container({ element, path, ctx, tag }: { element: Record<string, unknown>; path: string; ctx: Ctx; tag: string }) {
  const children = <Elements elements={asArray(element.elements)} path={childPath(path, "elements")} ctx={ctx} />;
  if (tag === "collapsible_panel") {
    const header = isObject(element.header) ? element.header : {};
    return (
      <details className="lc-panel" data-testid="card-collapsible" data-path={path} open={element.expanded === true}>
        <summary>{textObject(header.title)?.content ?? ""}</summary>
        <div className="lc-panel__body">{children}</div>
      </details>
    );
  }
  const background = blockBackground(element.background_style, ctx.md.dark, ctx.md.colours);
  const style: CSSProperties | undefined = background ? { background } : undefined;
  const action = tag === "interactive_container" ? buttonAction(element, path, "") : null;
  if (action) {
    return (
      <div
        className="lc-container lc-container--interactive"
        data-testid="card-container"
        data-path={path}
        role="button"
        tabIndex={0}
        style={style}
        onClick={() => ctx.click({ ...action, tag: "interactive_container" }, element.confirm)}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            ctx.click({ ...action, tag: "interactive_container" }, element.confirm);
          }
        }}
      >
        {children}
      </div>
    );
  }
  return (
    <div className={`lc-container lc-container--${tag}`} data-testid="card-container" data-path={path} style={style}>
      {children}
    </div>
  );
}

function ConfirmDialog({
  pending,
  labels,
  onCancel,
  onConfirm,
}: {
  pending: PendingConfirm;
  labels: PreviewLabels;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => ok.current?.focus(), []);
  return (
    // Escape cancels, as in the client; both choices are buttons inside.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div className="lc-confirm-backdrop" onKeyDown={(event) => event.key === "Escape" && onCancel()}>
      <div className="lc-confirm" role="dialog" aria-modal="true" aria-labelledby="lc-confirm-title" data-testid="card-confirm">
        <div className="lc-confirm__title" id="lc-confirm-title" data-testid="card-confirm-title">
          {pending.title}
        </div>
        {pending.text && (
          <div className="lc-confirm__text" data-testid="card-confirm-text">
            {pending.text}
          </div>
        )}
        <div className="lc-confirm__actions">
          <button type="button" className="lc-button lc-button--default" data-testid="card-confirm-cancel" onClick={onCancel}>
            {labels.cancel}
          </button>
          <button type="button" ref={ok} className="lc-button lc-button--primary_filled" data-testid="card-confirm-ok" onClick={onConfirm}>
            {labels.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
