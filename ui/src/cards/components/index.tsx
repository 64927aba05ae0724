// The JSON 2.0 components CardPreview.tsx hands over: everything beyond text, images, columns,
// containers and buttons. The component list is the JSON 2.0 component overview
// (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/component-json-v2-overview);
// each renderer cites its own page.
import type { ReactNode } from "react";
import { asString } from "../model";
import { Chart } from "./Chart";
import { ImageCombination, SelectImage } from "./Images";
import { Audio, Checker, Input, Overflow } from "./Inputs";
import { Person, PersonList } from "./Person";
import { DatePicker, SelectMenu } from "./Pickers";
import { Table } from "./Table";
import type { ElementProps } from "./types";

/** A component drawn by components/*, or null when the tag is none of theirs. */
export function extraElement(props: ElementProps): ReactNode {
  switch (asString(props.element.tag)) {
    case "table":
      return <Table {...props} />;
    case "chart":
      return <Chart {...props} />;
    case "person":
      return <Person {...props} />;
    case "person_list":
      return <PersonList {...props} />;
    case "img_combination":
      return <ImageCombination {...props} />;
    case "select_img":
      return <SelectImage {...props} />;
    case "input":
      return <Input {...props} />;
    case "checker":
      return <Checker {...props} />;
    case "overflow":
      return <Overflow {...props} />;
    case "audio":
      return <Audio {...props} />;
    case "select_static":
    case "multi_select_static":
    case "select_person":
    case "multi_select_person":
      return <SelectMenu {...props} />;
    case "date_picker":
    case "picker_time":
    case "picker_datetime":
      return <DatePicker {...props} />;
    default:
      return null;
  }
}
