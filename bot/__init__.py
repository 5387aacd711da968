"""essaybot: a Telegram bot around one essay, read, asked about and discussed."""

__version__ = "0.1.0"
