"""Adapters: Telegram and the terminal console, translating input into calls to the core."""
