// Input, checker, overflow menu and audio, drawn static and inert as the client lays them out:
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/input
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/checker
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/overflow
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/audio
// An overflow option with a callback value is reported like a button click.
import { asArray, asString, isObject, textObject } from "../model";
import { Text } from "./Text";
import type { ElementProps } from "./types";

function widthStyle(value: unknown) {
  const width = asString(value);
  if (width === "fill") return { width: "100%" };
  return width && /^\d{1,4}px$/.test(width) ? { width } : undefined;
}

export function Input({ element, path, ctx }: ElementProps) {
  const label = isObject(element.label) ? element.label : null;
  const placeholder = textObject(element.placeholder)?.content ?? "";
  const value = asString(element.default_value) ?? "";
  const type = asString(element.input_type) ?? "text";
  const shown = type === "password" && value ? "•".repeat(Math.min(value.length, 16)) : value;
  const rows = type === "multiline_text" && typeof element.rows === "number" ? Math.min(Math.max(element.rows, 1), 10) : 1;
  return (
    <div className={`lc-field-input lc-field-input--${element.label_position === "left" ? "left" : "top"}`} data-testid="card-input" data-type={type} data-path={path}>
      {label && (
        <span className="lc-field-input__label">
          {element.required === true && <span className="lc-required">*</span>}
          <Text text={label} ctx={ctx} />
        </span>
      )}
      <div
        className={`lc-input${value ? "" : " lc-input--placeholder"}${element.disabled === true ? " lc-input--disabled" : ""}`}
        style={{ ...widthStyle(element.width), minHeight: `${rows * 22 + 10}px` }}
      >
        {shown || placeholder}
      </div>
    </div>
  );
}

export function Checker({ element, path, ctx }: ElementProps) {
  const checked = element.checked === true;
  const style = isObject(element.checked_style) ? element.checked_style : {};
  const strike = checked && style.show_strikethrough === true;
  const opacity = checked && typeof style.opacity === "number" ? Math.min(Math.max(style.opacity, 0), 1) : undefined;
  return (
    <div className={`lc-checker${element.disabled === true ? " lc-checker--disabled" : ""}`} data-testid="card-checker" data-checked={checked ? "true" : "false"} data-path={path}>
      <span className={`lc-checker__box${checked ? " lc-checker__box--checked" : ""}`} aria-hidden="true">
        {checked ? "✓" : ""}
      </span>
      <span className="lc-checker__text" style={{ textDecoration: strike ? "line-through" : undefined, opacity }}>
        <Text text={element.text} ctx={ctx} />
      </span>
    </div>
  );
}

export function Overflow({ element, path, ctx }: ElementProps) {
  const options = asArray(element.options).filter(isObject);
  return (
    <details className="lc-overflow" data-testid="card-overflow" data-path={path}>
      <summary className="lc-button lc-button--default lc-overflow__button" aria-label={ctx.labels.more}>
        ···
      </summary>
      <div className="lc-overflow__menu" role="menu">
        {options.map((option, index) => {
          const label = textObject(option.text)?.content ?? "";
          const url = isObject(option.multi_url) ? (asString(option.multi_url.pc_url) || asString(option.multi_url.url) || undefined) : undefined;
          const kind = option.value !== undefined ? "callback" : "open_url";
          return (
            <button
              key={index}
              type="button"
              role="menuitem"
              className="lc-overflow__item"
              data-testid="card-overflow-option"
              onClick={() => {
                if (option.value !== undefined || url) {
                  ctx.click({ kind, tag: "overflow", value: option.value, url, name: asString(element.name) ?? undefined, path, label }, element.confirm);
                }
              }}
            >
              {label}
            </button>
          );
        })}
      </div>
    </details>
  );
}

export function Audio({ element, path }: ElementProps) {
  const key = asString(element.file_key) ?? asString(element.audio_id) ?? "";
  return (
    <div className="lc-audio lc-audio--block" data-testid="card-audio" data-path={path} title={key}>
      <span className="lc-audio__play" aria-hidden="true">
        ▶
      </span>
      <span className="lc-audio__bar" aria-hidden="true" />
      {element.show_time !== false && <span className="lc-audio__time">0:00</span>}
    </div>
  );
}
