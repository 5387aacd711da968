"""Content an author edits: the essay, topics and every phrase, loaded from YAML and checked.

Also the one place that escapes HTML (:mod:`bot.content.markup`).
"""
