"""News for a reader outside the conversation they are having: what to tell them and in which
language (``notify``), whether they want it (``notifications``, /notify), and how the notices
that wait are drawn as one message (``digests``)."""
