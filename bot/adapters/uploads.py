"""Files sent to a chat: an export as a document, a chart as a photo, each made off the event
loop's thread when it is sent (bot.adapters.offload); a file Telegram would refuse for its size
is not sent, and the person hears what the core says to do instead."""

from __future__ import annotations

import logging

from telegram import Bot, InputFile
from telegram.constants import FileSizeLimit, MessageLimit

from bot.adapters import offload
from bot.adapters.shown import Shown, send
from bot.content.markup import Markup, fit
from bot.core.events import Reply

log = logging.getLogger(__name__)


async def send_document(bot: Bot, shown: Shown, chat_id: int, reply: Reply, error: Markup) -> None:
    """Send ``reply``'s document, with its text as the caption: an image as a photo, shown in
    the chat, anything else as a file (``error``: what the person hears if it cannot be made)."""
    assert reply.document is not None
    document = reply.document
    try:  # a chart or an export: made off the loop's thread, the core free
        data = await offload.made(document)
    except Exception:  # the messages after it still go; the admin hears why this did not
        log.exception("could not make %s", document.filename)
        await send(bot, shown, chat_id, Reply(error))
        return
    image = document.mime_type.startswith("image/")
    if len(data) > (FileSizeLimit.PHOTOSIZE_UPLOAD if image else FileSizeLimit.FILESIZE_UPLOAD):
        # Telegram would refuse it: the person hears what the core says to do instead
        await send(bot, shown, chat_id, Reply(document.oversize or error))
        return
    sending = bot.send_photo if image else bot.send_document
    file = InputFile(data, filename=document.filename)
    await sending(chat_id, file, caption=fit(reply.text, MessageLimit.CAPTION_LENGTH))
