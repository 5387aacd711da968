"""Telegram's updates as the core's events: who the reader is, and what they sent."""

from __future__ import annotations

from telegram import Message, Update

from bot.core.events import Event, Reader, Text, Unsupported, parse_command


def reader_of(update: Update) -> Reader | None:
    """The reader behind ``update`` (None for updates without a person, such as channel posts)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return Reader(user.id, user.first_name or "", user.language_code)


def event_of(message: Message, bot_username: str | None) -> Event | None:
    """The core's event for an incoming message; None for messages meant to be ignored.
    A command addressed to another bot (``/start@otherbot``) is plain text."""
    if message.text is not None:
        command = parse_command(message.text) if message.text.startswith("/") else None
        addressee = command.addressee if command is not None else None
        if addressee and bot_username and addressee.lower() != bot_username.lower():
            command = None
        return command or Text(message.text)
    attachment = message.effective_attachment
    if attachment is None:
        return None  # a service message (member joined, pinned...): nothing to answer
    kind = type(attachment[-1] if isinstance(attachment, tuple) else attachment).__name__
    return Unsupported(kind.lower())
