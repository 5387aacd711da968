"""The conversation core: given a reader, their stored state and an event, what to answer.

Imports nothing from ``telegram``; the adapters translate to and from it.
"""
