"""Encrypted columns and their blind indexes: the ORM reads and writes plaintext, the database holds ciphertext.

`EncryptedText` encrypts on the way in and decrypts on the way out (integrations/crypto.py). Its ciphertexts
differ for equal plaintexts, so SQL cannot compare them: comparisons are refused here (a query would silently
match nothing). A column that must be looked up by value gets a blind index column next to it, kept up to date
whenever the row is written (`keep_blind_index`), and queries compare that.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, TypeDecorator, event
from sqlalchemy.sql import operators
from sqlmodel import Field

from apec_app.integrations import crypto

# Column.info key of a blind index column: the column whose value it indexes (read by `cli rotate-keys`).
BLIND_INDEX_OF = "blind_index_of"


class EncryptedText(TypeDecorator):
    impl = Text
    cache_ok = True

    class Comparator(TypeDecorator.Comparator):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op in (operators.is_, operators.is_not):
                return super().operate(op, *other, **kwargs)
            raise TypeError("an encrypted column cannot be compared in SQL: compare its blind index column")

        def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
            return self.operate(op, other, **kwargs)

    comparator_factory = Comparator

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else crypto.encrypt_text(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else crypto.decrypt_text(value)


def encrypted_field(**kwargs: Any) -> Any:
    return Field(sa_type=EncryptedText, **kwargs)


def blind_index_field(source: str) -> Any:
    """The blind index (HMAC-SHA256, hex) of the column `source`, for equality look-ups."""
    return Field(default="", max_length=64, index=True, sa_column_kwargs={"info": {BLIND_INDEX_OF: source}})


def keep_blind_index(model: type, source: str, index: str) -> None:
    """Whenever a `model` row is written, set its `index` column to the blind index of its `source` column."""

    def _set(_mapper: Any, _connection: Any, target: Any) -> None:
        value = getattr(target, source)
        setattr(target, index, "" if value is None else crypto.blind_index(source, value))

    event.listen(model, "before_insert", _set)
    event.listen(model, "before_update", _set)
