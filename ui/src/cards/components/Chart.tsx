// Chart: the client draws a VChart spec; the preview draws a labelled box with the chart's type
// and title, at the component's aspect ratio.
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/chart
import { asString, isObject } from "../model";
import type { ElementProps } from "./types";

const RATIOS: Record<string, string> = { "1:1": "1 / 1", "2:1": "2 / 1", "4:3": "4 / 3", "16:9": "16 / 9" };

export function Chart({ element, path, ctx }: ElementProps) {
  const spec = isObject(element.chart_spec) ? element.chart_spec : {};
  const type = asString(spec.type) ?? "?";
  const title = isObject(spec.title) ? (asString(spec.title.text) ?? "") : (asString(spec.title) ?? "");
  const ratio = RATIOS[asString(element.aspect_ratio) ?? ""] ?? "16 / 9";
  return (
    <figure className="lc-chart" data-testid="card-chart" data-type={type} data-path={path} style={{ aspectRatio: ratio }}>
      <span className="lc-chart__title">{title}</span>
      <span className="lc-chart__type">
        {ctx.labels.chart} · <code>{type}</code>
      </span>
    </figure>
  );
}
