"""The domain model: records, stances, statuses, limits, fingerprints and pure rules.

Imports nothing else of the bot; the core, storage and content all import it.
"""
