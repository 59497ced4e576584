"""Join codes people can type, and unguessable display tokens."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so nothing reads as something else; 32
# symbols make 5 bits each, 40 bits for the 8 characters.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_join_code(typed: str) -> str | None:
    """What a person typed (any case, dashes, spaces, O for 0) as a code, or None."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def format_join_code(code: str) -> str:
    """ABCD-EFGH: two groups of four are easier to read out and type."""
    return f"{code[:4]}-{code[4:]}"


def new_display_token() -> str:
    return secrets.token_urlsafe(24)
