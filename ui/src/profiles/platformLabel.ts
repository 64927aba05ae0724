import type { TFunction } from "i18next";
import type { Platform } from "../bindings/Platform";

export function platformLabel(platform: Platform, t: TFunction): string {
  switch (platform.kind) {
    case "feishu":
      return t("profiles.platform.feishu");
    case "lark":
      return t("profiles.platform.lark");
    case "custom":
      return t("profiles.platform.custom", { url: platform.baseUrl });
  }
}
