// A Problem (the one failure type the Rust side sends) put into words. The payload holds a code
// and values, never a sentence: the sentence is `problems.<code>` and the fix `fixes.<fixCode>`
// in the catalogue, filled in with the problem's params, in the window's language.
import type { TFunction } from "i18next";
import type { Problem } from "../bindings/Problem";
import en from "../i18n/en.json";

type Params = Record<string, string>;

/** The params as i18next values; a form field's key (`params.other`) becomes its label. */
function valuesOf(problem: Problem, t?: TFunction): Params {
  const values: Params = {};
  for (const [key, value] of Object.entries(problem.params)) {
    if (value !== undefined) values[key] = value;
  }
  if (t && values.other) values.other = t(`setup.integration.fields.${values.other}`, { defaultValue: values.other });
  return values;
}

/** The sentence of `problem` in the current language. */
export function problemMessage(t: TFunction, problem: Problem): string {
  const values = valuesOf(problem, t);
  // `replace` keeps a param named like an i18next option (`context`, `count`) a plain value.
  return t(`problems.${problem.code}`, { replace: values, defaultValue: values.detail ?? problem.code });
}

/** What to do about `problem` in the current language, or null when it has no fix. */
export function problemFix(t: TFunction, problem: Problem): string | null {
  if (!problem.fix) return null;
  return t(`fixes.${problem.fix.code}`, { replace: valuesOf(problem, t) });
}

/** The general summary of its kind ("A value was not accepted."). */
export function problemSummary(t: TFunction, problem: Problem): string {
  return t(`errors.${problem.kind}`, { defaultValue: t("errors.title") });
}

/** The English sentence, for logs and `Error.message` (the window shows `problemMessage`). */
export function englishProblem(problem: Problem): string {
  const sentence = (en.problems as Record<string, string | undefined>)[problem.code];
  const values = valuesOf(problem);
  if (!sentence) return values.detail ?? problem.code;
  return sentence.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Whether two problems say the same (the banner shows a repeated one once). */
export function sameProblem(a: Problem, b: Problem): boolean {
  return (
    a.code === b.code &&
    a.kind === b.kind &&
    a.field === b.field &&
    a.fix?.code === b.fix?.code &&
    a.fix?.link === b.fix?.link &&
    paramsKey(a) === paramsKey(b)
  );
}

function paramsKey(problem: Problem): string {
  return JSON.stringify(Object.entries(valuesOf(problem)).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
