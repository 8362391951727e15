"""The base of every error a user can act on.

The CLI prints such an error as one line (what, which input, what to do) and
exits non-zero; anything else is a bug and keeps its traceback.
"""


class CasbError(Exception):
    """An error whose message is safe to show and tells the user what to do."""
