// Select menus (static and person, single and multiple) and date/time pickers, drawn as the
// closed control the client shows: the chosen value (or the placeholder) and a chevron/icon.
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/single-select-dropdown-menu
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/multi-select-dropdown-menu
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/single-select-user-picker
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/multi-select-user-picker
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/date-picker
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/time-selector
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/date-time-picker
import type { ReactNode } from "react";
import { asArray, asString, isObject, textObject } from "../model";
import { PersonChip } from "./Person";
import type { ElementProps } from "./types";

function widthStyle(value: unknown) {
  const width = asString(value);
  if (width === "fill") return { width: "100%" };
  return width && /^\d{1,4}px$/.test(width) ? { width } : undefined;
}

function Control({ element, path, value, placeholder, icon, tag }: { element: Record<string, unknown>; path: string; value: ReactNode; placeholder: string; icon: string; tag: string }) {
  const empty = value === null || (Array.isArray(value) && value.length === 0);
  return (
    <div
      className={`lc-select${empty ? " lc-select--placeholder" : ""}${element.disabled === true ? " lc-select--disabled" : ""}`}
      data-testid="card-select"
      data-tag={tag}
      data-path={path}
      style={widthStyle(element.width)}
    >
      <span className="lc-select__value">{empty ? placeholder : value}</span>
      <span className="lc-select__icon" aria-hidden="true">
        {icon}
      </span>
    </div>
  );
}

export function SelectMenu({ element, path, ctx }: ElementProps) {
  const tag = asString(element.tag) ?? "";
  const people = tag.endsWith("_person");
  const multiple = tag.startsWith("multi_");
  const options = asArray(element.options).filter(isObject);
  const chosen = multiple ? asArray(element.selected_values).map(String) : [asString(element.initial_option)].filter((v): v is string => Boolean(v));
  // initial_index (1-based) picks an option by position in single menus.
  if (!multiple && chosen.length === 0 && typeof element.initial_index === "number") {
    const option = options[element.initial_index - 1];
    if (option) chosen.push(String(option.value));
  }
  const labelOf = (value: string) => {
    const option = options.find((o) => String(o.value) === value);
    return textObject(option?.text)?.content || value;
  };
  const items = chosen.map((value, index) =>
    people ? (
      <PersonChip key={index} id={value} size="small" showAvatar showName capsule={multiple} />
    ) : multiple ? (
      <span key={index} className="lc-select__chip" data-testid="card-select-chip">
        {labelOf(value)}
      </span>
    ) : (
      <span key={index}>{labelOf(value)}</span>
    ),
  );
  const placeholder = textObject(element.placeholder)?.content || (people ? ctx.labels.selectPerson : ctx.labels.select);
  return <Control element={element} path={path} tag={tag} value={items.length > 0 ? items : null} placeholder={placeholder} icon="▾" />;
}

export function DatePicker({ element, path, ctx }: ElementProps) {
  const tag = asString(element.tag) ?? "";
  const value = tag === "picker_time" ? element.initial_time : tag === "picker_datetime" ? element.initial_datetime : element.initial_date;
  const fallback = tag === "picker_time" ? ctx.labels.selectTime : tag === "picker_datetime" ? ctx.labels.selectDateTime : ctx.labels.selectDate;
  const placeholder = textObject(element.placeholder)?.content || fallback;
  return <Control element={element} path={path} tag={tag} value={asString(value) || null} placeholder={placeholder} icon={tag === "picker_time" ? "◷" : "▦"} />;
}
