/** The markup tags of the card rich-text pages (lark_md and JSON 2.0 markdown): a drawn card may
 * show none of them as text. */
export const RICH_TEXT_MARKUP = /<\/?(font|at|a|link|person|number_tag|text_tag|local_datetime|audio|raw|hr|br)\b/i;
