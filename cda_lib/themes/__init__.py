"""One package per theme of the accelerator: its page helpers, its charts and its exercises.

``welcome`` (module 0) and ``lead`` (theme 1, Lead confidently with data).
"""
