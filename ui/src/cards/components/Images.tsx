// Image combination and image selection: grids of image placeholders (nothing is fetched).
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/multi-image-laylout (sic)
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/image-picker
import { asArray, asString, isObject } from "../model";
import type { ElementProps } from "./types";

/** Columns per row for each documented `combination_mode` / `layout`. */
const COLUMNS: Record<string, number> = { double: 2, triple: 3, bisect: 2, trisect: 3, stretch: 1 };

function Tile({ imgKey, selected }: { imgKey: string; selected?: boolean }) {
  return (
    <span className={`lc-img-tile${selected ? " lc-img-tile--selected" : ""}`} data-testid="card-img-tile" data-selected={selected ? "true" : undefined} title={imgKey}>
      <code className="lc-img__key">{imgKey}</code>
    </span>
  );
}

export function ImageCombination({ element, path }: ElementProps) {
  const mode = asString(element.combination_mode) ?? "bisect";
  const images = asArray(element.img_list).filter(isObject);
  return (
    <div className="lc-img-grid" data-testid="card-img-combination" data-mode={mode} data-path={path} style={{ gridTemplateColumns: `repeat(${COLUMNS[mode] ?? 2}, 1fr)` }}>
      {images.map((image, index) => (
        <Tile key={index} imgKey={asString(image.img_key) ?? ""} />
      ))}
    </div>
  );
}

export function SelectImage({ element, path }: ElementProps) {
  const layout = asString(element.layout) ?? "bisect";
  const options = asArray(element.options).filter(isObject);
  const initial = asString(element.initial_option) ?? null;
  const selected = new Set(asArray(element.selected_values).map(String));
  if (initial) selected.add(initial);
  return (
    <div className="lc-img-grid lc-img-grid--select" data-testid="card-select-img" data-path={path} style={{ gridTemplateColumns: `repeat(${COLUMNS[layout] ?? 2}, 1fr)` }}>
      {options.map((option, index) => (
        <Tile key={index} imgKey={asString(option.img_key) ?? ""} selected={selected.has(String(option.value))} />
      ))}
    </div>
  );
}
