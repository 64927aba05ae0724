// Person and person list: an avatar and the user's name. The preview cannot look names up, so
// it draws the user id where the client draws the name, and an initial where it draws the photo.
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/user-profile
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/user-list
import { asArray, asString, isObject } from "../model";
import type { ElementProps } from "./types";

const SIZES = ["extra_small", "small", "medium", "large"];

function sizeOf(value: unknown): string {
  const size = asString(value) ?? "medium";
  return SIZES.includes(size) ? size : "medium";
}

export function PersonChip({ id, size, showAvatar, showName, capsule }: { id: string; size: string; showAvatar: boolean; showName: boolean; capsule: boolean }) {
  const name = id.length > 14 ? `${id.slice(0, 12)}…` : id;
  return (
    <span className={`lc-person lc-person--${capsule ? "capsule" : "normal"} lc-person--${size}`} data-testid="card-person" data-id={id} title={id}>
      {showAvatar && (
        <span className="lc-avatar" aria-hidden="true">
          {id.replace(/^(ou|on)_/, "").slice(0, 1).toUpperCase() || "?"}
        </span>
      )}
      {showName && <span className="lc-person__name">{name}</span>}
    </span>
  );
}

export function Person({ element, path }: ElementProps) {
  const id = asString(element.user_id) ?? "";
  return (
    <div className="lc-person-row" data-testid="card-person-element" data-path={path}>
      <PersonChip
        id={id}
        size={sizeOf(element.size)}
        showAvatar={element.show_avatar !== false}
        showName={element.show_name !== false}
        capsule={element.style === "capsule"}
      />
    </div>
  );
}

export function PersonList({ element, path }: ElementProps) {
  const ids = asArray(element.persons)
    .map((p) => (isObject(p) ? asString(p.id) : asString(p)))
    .filter((id): id is string => Boolean(id));
  const size = sizeOf(element.size);
  return (
    <div className="lc-person-list" data-testid="card-person-list" data-path={path}>
      {ids.map((id, index) => (
        <PersonChip key={index} id={id} size={size} showAvatar={element.show_avatar !== false} showName={element.show_name !== false} capsule={false} />
      ))}
    </div>
  );
}
