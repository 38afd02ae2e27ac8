"""A small fake Telegram Bot API server (aiohttp on 127.0.0.1) for driving the bot over real HTTP.

It serves queued updates through long-polled getUpdates, answers the methods the bot calls, records
every call with its time, and can be told to fail: 429 with retry_after, 403 for a chat, 400 with
migrate_to_chat_id, 400 bad request, 502, slow responses, or to hold one chat's sendMessage until
released (to kill the bot between Telegram's receipt and our commit).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 4242
BOT_USERNAME = "warwatch_test_bot"
TOKEN = "4242:TEST-token_abcdefghijklmnopqrstuvwxyz"


class FailureKind(enum.StrEnum):
    RETRY_AFTER = "429"
    FORBIDDEN = "403"
    MIGRATE = "migrate"
    BAD_REQUEST = "400"
    BAD_GATEWAY = "502"
    SLOW = "slow"


@dataclass
class FailureRule:
    method: str
    kind: FailureKind
    chat_id: int | None = None  # None: any chat
    times: int = 1  # how many matching calls fail; -1 = all of them
    retry_after: int = 1
    migrate_to: int = 0
    delay: float = 0.0
    description: str = "Bad Request: can't parse entities"

    def matches(self, method: str, chat_id: int | None) -> bool:
        return self.times != 0 and self.method == method and self.chat_id in (None, chat_id)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when the request arrived
    status: int = 0  # HTTP status returned; 0 while held (Telegram has the message, we have no answer)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None


def _parse(value: str) -> Any:
    try:
        return json.loads(value)
    except (json.JSONDecodeError, TypeError):
        return value


@dataclass
class FakeTelegram:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    failures: list[FailureRule] = field(default_factory=list)
    chat_member_status: dict[tuple[int, int], str] = field(default_factory=dict)
    chat_types: dict[int, str] = field(default_factory=dict)
    held_chats: set[int] = field(default_factory=set)
    holding: asyncio.Event = field(default_factory=asyncio.Event)  # set while a request is held
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new_update: asyncio.Condition = field(default_factory=asyncio.Condition)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _runner: web.AppRunner | None = None
    port: int = 0  # 0: any free port; a fixed one for a bot that was started before this server

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- driving ---------------------------------------------------------------------------------

    async def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        async with self._new_update:
            self._updates.append({"update_id": update_id, **update})
            self._new_update.notify_all()
        return update_id

    def fail(self, method: str, kind: FailureKind, **options: Any) -> FailureRule:
        rule = FailureRule(method, kind, **options)
        self.failures.append(rule)
        return rule

    def hold(self, chat_id: int) -> None:
        """Record but do not answer sendMessage to this chat until release()."""
        self.held_chats.add(chat_id)
        self._release.clear()

    def release(self) -> None:
        self.held_chats.clear()
        self._release.set()

    # -- inspection ------------------------------------------------------------------------------

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """sendMessage calls Telegram received (answered 200, or held: the message was delivered)."""
        return [c for c in self.calls_to("sendMessage", chat_id) if c.status in (0, 200)]

    async def wait_for(self, condition: Callable[[], object], within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {within}s; calls: {self.summary()}")
            await asyncio.sleep(0.02)

    def summary(self) -> list[tuple[str, int | None, int]]:
        return [(c.method, c.chat_id, c.status) for c in self.calls[-30:]]

    # -- the API ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        form = await request.post()
        params = {
            key: _parse(value) if isinstance(value, str) else value.file.read() for key, value in form.items()
        }
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        rule = next((r for r in self.failures if r.matches(method, call.chat_id)), None)
        response = await self._respond(method, params, call, rule)
        call.status = response.status
        return response

    async def _respond(
        self, method: str, params: dict[str, Any], call: Call, rule: FailureRule | None
    ) -> web.Response:
        if rule is not None:
            rule.times -= 1 if rule.times > 0 else 0
            if rule.kind is FailureKind.SLOW:
                await asyncio.sleep(rule.delay)
            else:
                return _failure(rule)
        if method == "sendMessage" and call.chat_id in self.held_chats:
            self.holding.set()
            await self._release.wait()
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        return _ok(await handler(params))

    async def _api_getMe(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "warwatch test",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:  # noqa: N802
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 2.0)
        async with self._new_update:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), timeout)
            return list(self._updates[:100])

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def _api_getChatMember(self, params: dict[str, Any]) -> Any:  # noqa: N802
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.chat_member_status.get((chat_id, user_id), "member")
        member: dict[str, Any] = {"status": status, "user": _user(user_id)}
        if status == "administrator":
            member |= {"can_be_edited": False, "is_anonymous": False, **dict.fromkeys(_ADMIN_RIGHTS, True)}
        return member

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(
            int(params["chat_id"]), text=str(params["text"]), markup=params.get("reply_markup")
        )

    async def _api_sendPhoto(self, params: dict[str, Any]) -> Any:  # noqa: N802
        photo = {"file_id": "photo1", "file_unique_id": "u1", "width": 800, "height": 400}
        return self._message(int(params["chat_id"]), photo=[photo], caption=params.get("caption"))

    async def _api_sendDocument(self, params: dict[str, Any]) -> Any:  # noqa: N802
        document = {"file_id": "document1", "file_unique_id": "u2", "file_name": "export.csv"}
        return self._message(int(params["chat_id"]), document=document, caption=params.get("caption"))

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(
            int(params["chat_id"]),
            text=str(params["text"]),
            markup=params.get("reply_markup"),
            message_id=int(params["message_id"]),
        )

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(
            int(params["chat_id"]),
            text="",
            markup=params.get("reply_markup"),
            message_id=int(params["message_id"]),
        )

    def _message(
        self, chat_id: int, *, markup: Any = None, message_id: int | None = None, **content: Any
    ) -> dict[str, Any]:
        message = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat(chat_id, self.chat_types.get(chat_id)),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "warwatch test", "username": BOT_USERNAME},
            **{key: value for key, value in content.items() if value is not None},
        }
        if markup:
            message["reply_markup"] = markup
        return message


_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _failure(rule: FailureRule) -> web.Response:
    if rule.kind is FailureKind.RETRY_AFTER:
        return _error(429, f"Too Many Requests: retry after {rule.retry_after}", retry_after=rule.retry_after)
    if rule.kind is FailureKind.FORBIDDEN:
        return _error(403, "Forbidden: bot was blocked by the user")
    if rule.kind is FailureKind.MIGRATE:
        return _error(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            migrate_to_chat_id=rule.migrate_to,
        )
    if rule.kind is FailureKind.BAD_REQUEST:
        return _error(400, rule.description)
    return web.Response(status=502, text="Bad Gateway")


# -- update builders -----------------------------------------------------------------------------


def _user(user_id: int, name: str = "Tester") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "username": f"user{user_id}"}


def chat(chat_id: int, chat_type: str | None = None) -> dict[str, Any]:
    kind = chat_type or ("private" if chat_id > 0 else "supergroup" if chat_id < -(10**12) else "group")
    result: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind == "private":
        result["first_name"] = "Tester"
    else:
        result["title"] = f"Chat {chat_id}"
    return result


_message_counter = itertools.count(1)


def message_update(
    text: str,
    *,
    chat_id: int,
    user_id: int | None = None,
    chat_type: str | None = None,
    kind: str = "message",
    forward_from: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ``message`` (or ``channel_post``/``edited_message``) update; a leading /command gets its entity."""
    message: dict[str, Any] = {
        "message_id": next(_message_counter),
        "date": int(time.time()),
        "chat": chat(chat_id, chat_type),
        "text": text,
        **extra,
    }
    if kind == "channel_post":
        message["sender_chat"] = chat(chat_id, "channel")
    else:
        message["from"] = _user(user_id if user_id is not None else chat_id)
    if kind == "edited_message":
        message["edit_date"] = int(time.time())
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if forward_from is not None:
        message["forward_origin"] = {
            "type": "user",
            "date": int(time.time()),
            "sender_user": _user(forward_from),
        }
    return {kind: message}


def callback_update(
    data: str, *, chat_id: int, user_id: int, message: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A button press on ``message`` (by default a plain bot message in the chat)."""
    pressed = message or {
        "message_id": 999,
        "date": int(time.time()),
        "chat": chat(chat_id),
        "text": "alert",
    }
    return {
        "callback_query": {
            "id": f"cb{next(_message_counter)}",
            "from": _user(user_id),
            "chat_instance": "ci",
            "data": data,
            "message": pressed,
        }
    }
