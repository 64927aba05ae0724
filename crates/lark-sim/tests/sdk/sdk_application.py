"""The official Python SDK's application API clients (v6 reads, v7 writes) against lark-sim.

Usage: sdk_application.py BASE_URL APP_ID APP_SECRET
Runs, in order: v6 application.get, v7 application_config.patch, application_ability.patch,
application_base.patch, v6 application_app_version.list (the draft), v7 application_publish.create,
v6 application_app_version.get, v6 scope.list, scope.apply, and application.get once more. Prints
one JSON line with what the SDK's own models parsed (the SDK's logger goes to stderr); exits
non-zero with {"ok": false, "step", "code", "msg"} when a call fails. Every call has a timeout.
"""
import json
import logging
import sys

import lark_oapi as lark
from lark_oapi.api.application.v6 import (
    ApplyScopeRequest,
    GetApplicationAppVersionRequest,
    GetApplicationRequest,
    ListApplicationAppVersionRequest,
    ListScopeRequest,
)
from lark_oapi.api.application.v7 import (
    AppAbilityBot,
    AppAbilityWeb,
    AppConfigCallback,
    AppConfigEvent,
    AppConfigScope,
    AppConfigScopeItem,
    AppConfigSecurity,
    AppConfigSecurityItem,
    AppI18nInfo,
    CreateApplicationPublishRequest,
    CreateApplicationPublishRequestBody,
    PatchApplicationAbilityRequest,
    PatchApplicationAbilityRequestBody,
    PatchApplicationBaseRequest,
    PatchApplicationBaseRequestBody,
    PatchApplicationConfigRequest,
    PatchApplicationConfigRequestBody,
)

for _handler in logging.getLogger("Lark").handlers:
    if isinstance(_handler, logging.StreamHandler):
        _handler.setStream(sys.stderr)


def check(step, resp):
    if not resp.success():
        print(json.dumps({"ok": False, "step": step, "code": resp.code, "msg": resp.msg}), flush=True)
        sys.exit(1)
    return resp


def app_view(app):
    return {
        "app_id": app.app_id,
        "app_name": app.app_name,
        "description": app.description,
        "status": app.status,
        "create_source": app.create_source,
        "online_version_id": app.online_version_id,
        "unaudit_version_id": app.unaudit_version_id,
        "primary_language": app.primary_language,
        "scopes": [{"scope": s.scope, "token_types": s.token_types, "level": s.level} for s in (app.scopes or [])],
        "redirect_urls": app.redirect_urls,
        "event": {
            "subscription_type": app.event.subscription_type,
            "request_url": app.event.request_url,
            "subscribed_events": app.event.subscribed_events,
        },
        "callback_info": {
            "callback_type": app.callback_info.callback_type,
            "request_url": app.callback_info.request_url,
            "subscribed_callbacks": app.callback_info.subscribed_callbacks,
        },
        "encryption": {
            "encryption_key": app.encryption.encryption_key,
            "verification_token": app.encryption.verification_token,
        },
        "security_redirect_urls": app.security.redirect_urls,
    }


def version_view(v):
    return {
        "app_id": v.app_id,
        "version": v.version,
        "version_id": v.version_id,
        "status": v.status,
        "app_name": v.app_name,
        "scopes": [s.scope for s in (v.scopes or [])],
        "events": v.events,
        "create_time": v.create_time,
        "publish_time": v.publish_time,
        "web_app": None if v.ability.web_app is None else {
            "pc_url": v.ability.web_app.pc_url, "mobile_url": v.ability.web_app.mobile_url},
        "card_request_url": None if v.ability.bot is None else v.ability.bot.card_request_url,
        "remark": None if v.remark is None else {"remark": v.remark.remark, "update_remark": v.remark.update_remark},
        "event_types": [e.event_type for e in (v.event_infos or [])],
    }


def main():
    base_url, app_id, app_secret = sys.argv[1:4]
    client = (
        lark.Client.builder()
        .app_id(app_id)
        .app_secret(app_secret)
        .domain(base_url)
        .timeout(10)
        .log_level(lark.LogLevel.WARNING)
        .build()
    )
    v6, v7 = client.application.v6, client.application.v7

    before = check("application.get", v6.application.get(
        GetApplicationRequest.builder().app_id(app_id).lang("zh_cn").build()))

    check("application_config.patch", v7.application_config.patch(
        PatchApplicationConfigRequest.builder().app_id(app_id).request_body(
            PatchApplicationConfigRequestBody.builder()
            .scope(AppConfigScope.builder().add_scopes([
                AppConfigScopeItem.builder().scope_name("im:chat:readonly").token_type("tenant").build(),
            ]).build())
            .event(AppConfigEvent.builder().subscription_type("webhook")
                   .request_url("https://hooks.example.com/lark/events")
                   .add_events(["im.chat.disbanded_v1"]).build())
            .callback(AppConfigCallback.builder().callback_type("websocket")
                      .add_callbacks(["card.action.trigger"]).build())
            .security(AppConfigSecurity.builder().add(
                AppConfigSecurityItem.builder().redirect_urls(["https://example.com/oauth"]).build()).build())
            .build()).build()))

    check("application_ability.patch", v7.application_ability.patch(
        PatchApplicationAbilityRequest.builder().app_id(app_id).request_body(
            PatchApplicationAbilityRequestBody.builder()
            .web_app(AppAbilityWeb.builder().enable(True).pc_url("https://example.com/pc")
                     .mobile_url("https://example.com/m").build())
            .bot(AppAbilityBot.builder().enable(True)
                 .message_card_callback_url("https://hooks.example.com/lark/cards").build())
            .build()).build()))

    check("application_base.patch", v7.application_base.patch(
        PatchApplicationBaseRequest.builder().app_id(app_id).request_body(
            PatchApplicationBaseRequestBody.builder().i18ns([
                AppI18nInfo.builder().i18n_key("zh_cn").name("SDK bridge").description("set by lark-oapi").build(),
            ]).build()).build()))

    drafts = check("application_app_version.list", v6.application_app_version.list(
        ListApplicationAppVersionRequest.builder().app_id(app_id).lang("zh_cn").page_size(10).build()))

    published = check("application_publish.create", v7.application_publish.create(
        CreateApplicationPublishRequest.builder().app_id(app_id).request_body(
            CreateApplicationPublishRequestBody.builder().remark("from lark-oapi")
            .changelog("scopes, events, web app").build()).build()))

    got = check("application_app_version.get", v6.application_app_version.get(
        GetApplicationAppVersionRequest.builder().app_id(app_id)
        .version_id(published.data.version_id).lang("zh_cn").build()))

    scopes = check("scope.list", v6.scope.list(ListScopeRequest.builder().build()))
    applied = check("scope.apply", v6.scope.apply(ApplyScopeRequest.builder().build()))
    after = check("application.get (after)", v6.application.get(
        GetApplicationRequest.builder().app_id(app_id).lang("zh_cn").build()))

    print(json.dumps({
        "ok": True,
        "before": app_view(before.data.app),
        "draft_list": {
            "has_more": drafts.data.has_more,
            "page_token": drafts.data.page_token,
            "items": [version_view(v) for v in drafts.data.items],
        },
        "published": {"version_id": published.data.version_id, "version": published.data.version},
        "version": version_view(got.data.app_version),
        "scopes": [{"scope_name": s.scope_name, "grant_status": s.grant_status, "scope_type": s.scope_type}
                   for s in scopes.data.scopes],
        "apply_code": applied.code,
        "after": app_view(after.data.app),
    }), flush=True)


if __name__ == "__main__":
    main()
