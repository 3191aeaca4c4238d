"""User mistakes, told in one line with exit code 2 (the CLI catches this, never a traceback)."""


class UserError(Exception):
    """A mistake the user can fix: a missing file, an unknown layout, a bad policy or profile."""
