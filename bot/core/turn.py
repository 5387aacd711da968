"""One turn of the conversation: who is speaking, in which language, and how to phrase things."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.content.catalog import Content
from bot.content.markup import Markup, escape, to_plain
from bot.core import registry
from bot.core.events import Button, Outcome, Reader, Reply


@dataclass(frozen=True)
class Turn:
    """The reader and their language, with helpers to phrase replies in it."""

    reader: Reader
    lang: str
    content: Content

    @property
    def name(self) -> str:
        """How to call the reader: their first name, or a friendly word."""
        return self.reader.first_name or self.content.say("anonymous_name", self.lang)

    def say(self, key: str, **params: object) -> Markup:
        """Phrase ``key`` in the reader's language."""
        return self.content.say(key, self.lang, **params)

    def quote(self, original: str, translations: Mapping[str, str]) -> Markup:
        """The essay's words in the reader's language: the original, or the translation with
        the original one tap away (a spoiler)."""
        translated = translations.get(self.lang)
        if translated is None or self.lang == self.content.essay.language:
            return Markup(escape(original))
        return self.say("quote_translated", quote=translated, original=original)

    def button(self, key: str, action: str, *args: str, **params: object) -> Button:
        """A button labelled with phrase ``key`` that triggers ``action``."""
        return Button(to_plain(self.say(key, **params)), data=registry.encode(action, *args))

    def share(self, key: str, query: str) -> Button:
        """A button labelled with phrase ``key`` that lets the reader pick a chat and offers
        there what ``@bot query`` offers (bot.core.reach.sharing)."""
        return Button(to_plain(self.say(key)), share=query)

    def reply(self, key: str, **params: object) -> Outcome:
        """An outcome of one new message saying phrase ``key``."""
        return Outcome((Reply(self.say(key, **params)),))

    def notice(self, key: str) -> Outcome:
        """An outcome that only shows phrase ``key`` as the button's notice."""
        return Outcome(notice=to_plain(self.say(key)))
