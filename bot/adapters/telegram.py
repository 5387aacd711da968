"""The Telegram adapter: python-telegram-bot around the core.

Handlers stay thin (parse → core → render). The core runs on the event loop's own thread, one
event at a time: an event costs it well under a millisecond, less than handing it to a thread
of its own cost (benchmarks/bench_load.py). Every callback query is acknowledged, as soon as the
core has decided and before anything is sent; edits that would change nothing are never sent;
messages for other chats go through the outbox and its courier. Telegram-only concerns live
here and nowhere else: private chats versus groups, the bot's username and deep links, parse
mode and link previews, Telegram's limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    CallbackQuery,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import (
    CallbackQueryLimit,
    ChatType,
    ParseMode,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.helpers import create_deep_linked_url

from bot.adapters import channel, inline, offload
from bot.adapters.courier import Courier
from bot.adapters.flow_control import (
    CONNECTIONS,
    ChatRateLimiter,
    PerChatProcessor,
    wait_for_telegram,
)
from bot.adapters.heartbeat import beat, upkeep
from bot.adapters.incidents import incident_of, tell_admins_directly
from bot.adapters.journaled import JournaledQueue
from bot.adapters.menus import follow_admin, introduce, register_menus
from bot.adapters.shown import Shown, edit, send
from bot.adapters.updates import event_of, reader_of
from bot.adapters.uploads import send_document
from bot.adapters.webhook_guard import install as install_webhook_guard
from bot.config import Config
from bot.content.markup import Markup, escape, to_plain
from bot.core.dialogue import Dialogue
from bot.core.events import (
    Button,
    Command,
    Event,
    Outcome,
    Press,
    Reader,
    Reply,
)

log = logging.getLogger(__name__)
#: Attempts at delivering one reply, and the pause after the first failure (seconds).
SEND_ATTEMPTS = 3
RETRY_PAUSE = 0.5


async def handle(update: Update, context: EssayContext, event: Event) -> None:
    """Run ``event`` through the core, then render its outcome."""
    reader, chat = reader_of(update), update.effective_chat
    if reader is None or chat is None:
        return
    dialogue = context.dialogue
    try:
        outcome = dialogue.handle(reader, event, key=update.update_id)
        if outcome.sync is not None:  # what the reader wrote is on the disk before they hear
            await asyncio.to_thread(outcome.sync)
    except Exception as failure:
        await report(context, update, failure)
        try:
            outcome = dialogue.failed(reader, event)  # sorry, and what they wrote
        except Exception:
            error = dialogue.content.say("error", dialogue.content.default_language)
            outcome = Outcome((Reply(error),), notice=to_plain(error))
    if outcome.posted and context.bot_data.courier is not None:
        context.bot_data.courier.wake()
    await render(context, chat.id, update.callback_query, outcome)
    if dialogue.is_admin(reader):  # the admins' menu, in their language, once they write
        lang, given = dialogue.speaking(reader).lang, context.bot_data.admin_menus
        await follow_admin(
            context.bot, dialogue.content, reader.user_id, lang, given, dialogue.menus_given
        )


class BotData:
    """Application-wide state: the core, the tasks beside it, and what recent messages show."""

    def __init__(self) -> None:
        self.dialogue: Dialogue | None = None
        self.config: Config | None = None
        self.courier: Courier | None = None
        self.courier_task: asyncio.Task[None] | None = None
        self.heartbeat_task: asyncio.Task[None] | None = None
        self.upkeep_task: asyncio.Task[None] | None = None
        self.queue: JournaledQueue | None = None
        self.shown = Shown()
        #: the admins who have the admins' menu, and in which language
        self.admin_menus: dict[int, str] = {}


class EssayContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """The callback context, with typed access to the core."""

    @property
    def dialogue(self) -> Dialogue:
        if self.bot_data.dialogue is None:
            raise RuntimeError("the application was built without a dialogue")
        return self.bot_data.dialogue


EssayApp = Application[ExtBot[Any], EssayContext, dict[Any, Any], dict[Any, Any], BotData, Any]


async def render(
    context: EssayContext, chat_id: int, query: CallbackQuery | None, outcome: Outcome
) -> None:
    """Acknowledge the button press, if any, first (Telegram gives up on it after 15 s), then
    send or edit the outcome's messages (messages for other chats are in the outbox)."""
    if query is not None:
        await acknowledge(query, outcome.notice)
    for reply in outcome.replies:
        if reply.channel_failed is None:
            await deliver(context, chat_id, query, reply)
            continue
        config = context.bot_data.config
        said = await channel.publish(context.bot, (config and config.channel) or "", reply)
        if said is not None:  # the admin hears why, and nothing after it is sent
            line = Reply(Markup(f"{reply.channel_failed}\n{escape(said)}"))
            await deliver(context, chat_id, None, line)
            return


async def deliver(
    context: EssayContext, chat_id: int, query: CallbackQuery | None, reply: Reply
) -> None:
    """Send, edit or upload one reply, trying again on a network error, a timeout or a server
    error; whatever still fails is logged and never stops the replies after it."""
    target = reply.chat_id if reply.chat_id is not None else chat_id
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            if reply.edit and query is not None and isinstance(query.message, Message):
                await edit(context.bot, context.bot_data.shown, query.message, reply)
            elif reply.keyboard_only:  # buttons for a message Telegram no longer gives
                return
            elif reply.document is not None:
                error = context.dialogue.phrase(Reader(target), "error")
                await send_document(context.bot, context.bot_data.shown, target, reply, error)
            else:
                await send(context.bot, context.bot_data.shown, target, reply)
            return
        except Forbidden as error:
            log.info("chat %s cannot be written to: %s", target, error.message)
            return
        except BadRequest as error:
            log.error("Telegram refused a message to chat %s: %s", target, error.message)
            return
        except TelegramError as error:  # network, timeout, 5xx, a 429 the limiter gave up on
            if attempt == SEND_ATTEMPTS:
                log.error("a message to chat %s was not delivered: %s", target, error.message)
                return
            log.warning("sending to chat %s failed (%s); trying again", target, error.message)
            await asyncio.sleep(RETRY_PAUSE * attempt)


async def acknowledge(query: CallbackQuery, notice: str) -> None:
    """Answer a button press (Telegram shows a spinner until the bot does)."""
    try:
        await query.answer(notice[: CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH] or None)
    except TelegramError as error:
        log.info("could not acknowledge a button press: %s", error.message)


async def on_message(update: Update, context: EssayContext) -> None:
    """Any message in a private chat: a command, free text, or something the bot does not read."""
    if update.message is None:
        return
    event = event_of(update.message, context.bot.username)
    if event is not None:
        await handle(update, context, event)


async def on_inline_query(update: Update, context: EssayContext) -> None:
    """``@bot words`` in any chat: the core's offer, as articles (bot.adapters.inline)."""
    query, reader = update.inline_query, reader_of(update)
    if query is not None and reader is not None:
        await inline.answer(query, context.dialogue.inline(reader, query.query))


async def on_button(update: Update, context: EssayContext) -> None:
    """A press on one of the bot's inline buttons; in a group (where the bot sends none), it
    has expired."""
    query, chat, reader = update.callback_query, update.effective_chat, reader_of(update)
    if query is None:
        return
    if chat is not None and chat.type == ChatType.PRIVATE:
        await handle(update, context, Press(query.data or ""))
    elif reader is not None:
        await acknowledge(query, to_plain(context.dialogue.phrase(reader, "notice_expired")))


async def on_group_message(update: Update, context: EssayContext) -> None:
    """In a group the bot answers only /start, with a link to a private chat."""
    reader, message = reader_of(update), update.message
    if reader is None or message is None:
        return
    event = event_of(message, context.bot.username)
    if not (isinstance(event, Command) and event.name == "start"):
        return
    url = create_deep_linked_url(context.bot.username)
    text = context.dialogue.phrase(reader, "group_start", link=url)
    button = Button(f"@{context.bot.username}", url=url)
    await render(context, message.chat.id, None, Outcome((Reply(text, ((button,),)),)))


async def on_error(update: object, context: EssayContext) -> None:
    """Log what went wrong (never the token), tell the admins if it was while handling an
    update, and keep running."""
    if context.error is None:
        return
    if isinstance(update, Update):
        await report(context, update, context.error)
    elif isinstance(context.error, TelegramError):  # fetching updates: a 5xx, the network,
        log.error("error outside an update: %s", context.error)  # no traceback: PTB retries
    else:
        log.error("error outside an update: %s", context.error, exc_info=context.error)


async def report(context: EssayContext, update: Update, error: BaseException) -> None:
    """Log ``error`` with a summary of ``update``, and tell the admins through the outbox (at
    most once a minute per distinct error). Reporting never raises."""
    config = context.bot_data.config
    incident = incident_of(update, error, config.token if config else None)
    log.error("error while handling %s: %s", incident.update, incident.kind, exc_info=error)
    try:
        outcome = context.dialogue.report_error(incident)
    except Exception:  # the database itself fails (a full disk): tell the admins directly
        log.exception("could not tell the admins of that error through the outbox")
        admins = config.admin_ids if config else frozenset()
        await tell_admins_directly(context.bot, admins, context.dialogue.content, incident)
        return
    if outcome.posted and context.bot_data.courier is not None:
        context.bot_data.courier.wake()


def build_application(config: Config, dialogue: Dialogue) -> EssayApp:
    """The python-telegram-bot application, talking to ``config.api_url``."""
    context_types = ContextTypes(context=EssayContext, bot_data=BotData)
    queue = JournaledQueue(dialogue.journal)
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    application: EssayApp = (
        ApplicationBuilder()
        .token(config.require_token())
        .base_url(f"{config.api_url}/bot")
        .base_file_url(f"{config.api_url}/file/bot")
        .context_types(context_types)
        .defaults(defaults)
        .rate_limiter(ChatRateLimiter(config.max_rate))
        .update_queue(queue)
        .concurrent_updates(PerChatProcessor(on_done=queue.done))
        .connection_pool_size(CONNECTIONS)  # the rate limiter lets no more go at once
        .pool_timeout(30)
        # a second connection for getUpdates: on shutdown, the call that confirms the updates
        # taken never waits behind the long poll being cancelled (or they would come again)
        .get_updates_connection_pool_size(2)
        .get_updates_pool_timeout(5)
        .post_init(on_startup)
        .post_stop(on_stop)
        .post_shutdown(on_shutdown)
        .build()
    )
    dialogue.defer_syncs()  # the event loop never waits on the disk
    application.bot_data.dialogue = dialogue
    application.bot_data.config = config
    application.bot_data.queue = queue
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline_query))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private, on_message))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & groups, on_group_message))
    application.add_error_handler(on_error)
    return application


async def on_startup(application: EssayApp) -> None:
    """Once connected: register the command menus, per language, and the admins' own."""
    dialogue, config = application.bot_data.dialogue, application.bot_data.config
    assert dialogue is not None and config is not None
    data = application.bot_data
    former = dialogue.former_admins()
    await introduce(application.bot, dialogue.content)

    def lang_of(admin: int) -> str | None:
        return dialogue.speaking(Reader(admin)).lang if dialogue.has_met(admin) else None

    menus = await register_menus(
        application.bot, dialogue.content, config.admin_ids, former, lang_of
    )
    data.admin_menus = {admin: lang for admin, lang in menus.items() if lang}
    dialogue.menus_given(set(menus))
    inline.learn(application.bot)  # whether to send share buttons; the links' bot name
    dialogue.sharing.username = dialogue.posting.username = application.bot.username
    dialogue.outbox.reconcile()  # before the courier: what the last run left in flight
    if data.queue is not None:
        data.queue.replay(application.bot)
    shown = data.shown
    data.courier = Courier(dialogue.outbox, application.bot, shown.messages, shown.remember)
    loop = asyncio.get_running_loop()
    data.courier_task = loop.create_task(data.courier.run())
    data.heartbeat_task = loop.create_task(beat(config.heartbeat_path, alive=dialogue.alive))
    data.upkeep_task = loop.create_task(upkeep(dialogue.upkeep))
    log.info("essaybot is running as @%s", application.bot.username)


async def on_stop(application: EssayApp) -> None:
    """Stop the courier while the bot can still talk to Telegram: what it is sending goes out,
    what it has not taken waits in the outbox for the next start."""
    data = application.bot_data
    if data.upkeep_task is not None:  # a checkpoint under way ends before the store closes
        data.upkeep_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await data.upkeep_task
        data.upkeep_task = None
    if data.heartbeat_task is not None:  # a stopping bot is not a healthy one
        data.heartbeat_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await data.heartbeat_task  # a beat under way ends before the file goes
        data.heartbeat_task = None
        if data.config is not None:
            data.config.heartbeat_path.unlink(missing_ok=True)
    offload.shutdown()  # the chart's process, if one was started
    if data.courier is not None:
        await data.courier.stop()
    if data.courier_task is not None:
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(data.courier_task, timeout=5)
        data.courier_task = None


async def on_shutdown(application: EssayApp) -> None:
    """Stop what runs beside the updates, in case the application was never stopped."""
    await on_stop(application)


def run(config: Config, dialogue: Dialogue, poll_timeout: int = 30) -> None:
    """Until interrupted (Ctrl-C or SIGTERM), once Telegram can be reached: serve the webhook
    if one is configured (Telegram is told its URL and secret, and a request without that
    secret is refused), else long-poll (which deletes a webhook left from an earlier run)."""
    asyncio.run(wait_for_telegram(config))
    application = build_application(config, dialogue)
    gc.freeze()  # what start-up built (content, matcher, application) is never scanned again
    if config.webhook_url is not None:
        install_webhook_guard()  # the secret and the size checked before the body is read
        application.run_webhook(
            listen=config.listen,
            port=config.port,
            url_path=urlsplit(config.webhook_url).path.lstrip("/"),
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        return
    application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=poll_timeout)
