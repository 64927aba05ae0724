//! Which component tags each schema accepts, and where.
//!
//! Sources (open.feishu.cn developer docs, read 2025; page names as the docs title them):
//! - 2.0 components: "卡片 JSON 2.0 版本组件概述" (feishu-cards/card-json-v2-components/
//!   component-json-v2-overview, updated 2025-01-02) and "音频" (…/content-components/audio,
//!   2025-08: `audio`, 2.0 only).
//! - 2.0 removals and nesting: "卡片 JSON 2.0 版本更新说明" (feishu-cards/
//!   card-json-v2-breaking-changes-release-notes): `note` and `action` are gone; form, interactive
//!   container, collapsible panel and column accept every component except `form` and `table`.
//! - 1.0 components: "组件概述" (feishu-cards/card-components/component-overview, 2024-08-30);
//!   `note` and `action` from the 1.0 card docs and the official Go SDK's `larkcard` package
//!   (oapi-sdk-go v3 `card/card.go`: element types hr, markdown, div, img, note, action; action
//!   elements button, select_static, select_person, overflow, date_picker, picker_time,
//!   picker_datetime; note elements plain_text, lark_md, img).
//! - 1.0 button placement: "按钮" (feishu-cards/card-components/interactive-components/button):
//!   a button at the card root must sit in an `action` module; inside containers it may not.
//! - 1.0 nesting limits: the 1.0 column of the breaking-changes table above (form: no table,
//!   chart, form; interactive container: only div, markdown, img, note, column_set, checker,
//!   interactive_container; collapsible panel: no form, table; column: no table, form,
//!   img_combination).
//! - Header colours and button types: "标题" and "按钮" pages of both schemas. The 1.0 button page
//!   lists the same nine types as 2.0; only the retired "message card" page listed three.

// 2.0 components, their properties and where they may be nested: `schema_v2.json`.

/// 2.0: removed 1.0 components (what replaces them is in the finding's sentence: a div with
/// `text_size` "notation" and grey text for `note`, buttons directly in elements or in a
/// column_set for `action`).
pub(crate) const V2_REMOVED: &[&str] = &["note", "action"];

/// 1.0 interactive components that must be wrapped in an `action` module at the card root.
pub(crate) const V1_ACTION_ELEMENTS: &[&str] = &[
    "button",
    "overflow",
    "select_static",
    "select_person",
    "date_picker",
    "picker_time",
    "picker_datetime",
    // "input": "must be in the action module's actions, otherwise it errors" (1.0 input page).
    "input",
];

/// 1.0: components allowed directly in `elements`.
pub(crate) const V1_ROOT: &[&str] = &[
    "div",
    "markdown",
    "hr",
    "img",
    "note",
    "action",
    "column_set",
    "form",
    "interactive_container",
    "collapsible_panel",
    "img_combination",
    "person",
    "person_list",
    "chart",
    "table",
    "checker",
    "select_img",
];

/// 1.0: children of `note` (text, images, and the icons the 1.0 note page documents).
pub(crate) const V1_NOTE_ELEMENTS: &[&str] = &[
    "plain_text",
    "lark_md",
    "img",
    "standard_icon",
    "custom_icon",
];

/// 1.0: what only a `note` holds (an image may also sit in containers: the 1.0 column-set
/// example puts one in a column).
pub(crate) const V1_NOTE_ONLY: &[&str] = &["plain_text", "lark_md", "standard_icon", "custom_icon"];

/// 1.0: what a `div` may carry in `extra`.
pub(crate) const V1_DIV_EXTRA: &[&str] = &[
    "button",
    "img",
    "overflow",
    "select_static",
    "select_person",
    "date_picker",
    "picker_time",
    "picker_datetime",
];

/// 1.0: what each container may not hold (see the module sources).
pub(crate) fn v1_container_forbids(container: &str, tag: &str) -> bool {
    match container {
        "form" => matches!(tag, "table" | "chart" | "form"),
        "collapsible_panel" => matches!(tag, "form" | "table"),
        "column" => matches!(tag, "table" | "form" | "img_combination"),
        "interactive_container" => !matches!(
            tag,
            "div"
                | "markdown"
                | "img"
                | "note"
                | "column_set"
                | "checker"
                | "interactive_container"
        ),
        _ => false,
    }
}

/// Header colours (`header.template`), both schemas.
pub const HEADER_TEMPLATES: &[&str] = &[
    "blue",
    "wathet",
    "turquoise",
    "green",
    "yellow",
    "orange",
    "red",
    "carmine",
    "violet",
    "purple",
    "indigo",
    "grey",
    "default",
];

/// Button `type` values, both schemas.
pub(crate) const BUTTON_TYPES: &[&str] = &[
    "default",
    "primary",
    "danger",
    "text",
    "primary_text",
    "danger_text",
    "primary_filled",
    "danger_filled",
    "laser",
];

/// `behaviors[].type` values ("配置卡片交互", configuring-card-interactions; 1.0 button page).
pub(crate) const BEHAVIOR_TYPES: &[&str] = &["open_url", "callback", "form_action"];

/// Text object tags.
pub(crate) const TEXT_TAGS: &[&str] = &["plain_text", "lark_md"];

/// Top-level fields of a 2.0 card ("卡片 JSON 2.0 结构").
/// `i18n_header` too: the official 2.0 column-set example uses it.
pub(crate) const V2_TOP_LEVEL: &[&str] = &[
    "schema",
    "config",
    "card_link",
    "header",
    "i18n_header",
    "body",
];

/// Top-level fields of a 1.0 card ("卡片 JSON 1.0 结构").
pub(crate) const V1_TOP_LEVEL: &[&str] = &[
    "schema",
    "config",
    "card_link",
    "header",
    "i18n_header",
    "elements",
    "i18n_elements",
    "fallback",
];

pub(crate) fn contains(list: &[&str], tag: &str) -> bool {
    list.contains(&tag)
}

/// Multi-select components: only inside a form (2.0 `nesting: form` in `schema_v2.json`; the
/// 1.0 multi-select pages: inside a form container, not in an `action` module).
pub(crate) const MULTI_SELECT: &[&str] = &["multi_select_static", "multi_select_person"];

/// Components a form submits, which need a `name` unique in the card (the form container
/// pages: "在表单容器中所有的交互组件中，该字段必填且需在卡片全局内唯一").
pub(crate) const FORM_FIELDS: &[&str] = &[
    "input",
    "select_static",
    "multi_select_static",
    "select_person",
    "multi_select_person",
    "date_picker",
    "picker_time",
    "picker_datetime",
    "select_img",
    "checker",
    "button",
];

/// Text tag colours (the title and rich-text pages' `text_tag` colour list).
pub(crate) const TEXT_TAG_COLORS: &[&str] = &[
    "neutral",
    "blue",
    "turquoise",
    "lime",
    "orange",
    "violet",
    "indigo",
    "wathet",
    "green",
    "yellow",
    "red",
    "purple",
    "carmine",
];

/// The colour enumeration ("颜色枚举值", feishu-cards/enumerations-for-fields-related-to-color):
/// thirteen hues with shades 50 to 900, grey with its own shades, white and bg-white; `default`
/// is the rich-text page's own value for `<font color>`.
pub(crate) fn is_documented_color(color: &str) -> bool {
    const HUES: &[&str] = &[
        "blue",
        "carmine",
        "green",
        "indigo",
        "lime",
        "orange",
        "purple",
        "red",
        "sunflower",
        "turquoise",
        "violet",
        "wathet",
        "yellow",
    ];
    const SHADES: &[&str] = &[
        "50", "100", "200", "300", "350", "400", "500", "600", "700", "800", "900",
    ];
    const GREYS: &[&str] = &[
        "00", "50", "100", "200", "300", "350", "400", "500", "600", "650", "700", "800", "900",
        "950", "1000",
    ];
    if matches!(color, "default" | "white" | "bg-white" | "grey") || HUES.contains(&color) {
        return true;
    }
    match color.split_once('-') {
        Some(("grey", shade)) => GREYS.contains(&shade),
        Some((hue, shade)) => HUES.contains(&hue) && SHADES.contains(&shade),
        None => false,
    }
}
