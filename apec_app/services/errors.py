"""Errors services raise; states turn them into field messages and toasts (codes → apec_app/ui_text)."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __reduce__(self):
        """Pickled as its attributes, whatever the subclass's __init__ takes: a use case run in the job process
        (apec_app/jobs) raises it there and the page maps it here."""
        return _restored, (type(self), self.args, self.__dict__)


def _restored(cls: type[ServiceError], args: tuple, attributes: dict) -> ServiceError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(attributes)
    return exc


class InvalidInput(ServiceError):
    """Bad input; nothing was changed. `errors` maps each bad field to its error code."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.field = field
        self.errors: dict[str, str] = {field: code}

    @classmethod
    def many(cls, errors: dict[str, str]) -> "InvalidInput":
        field, code = next(iter(errors.items()))
        exc = cls(field, code)
        exc.errors = dict(errors)
        return exc


class PermissionDenied(ServiceError):
    def __init__(self, code: str = "permission_denied", **params: object) -> None:
        super().__init__(code, **params)


class NotFound(ServiceError):
    def __init__(self, code: str = "not_found", **params: object) -> None:
        super().__init__(code, **params)


class Conflict(ServiceError):
    pass


def raise_if_invalid(checks: dict[str, str | None]) -> None:
    """Given field → validator result, raise one InvalidInput naming every bad field."""
    errors = {field: code for field, code in checks.items() if code}
    if errors:
        raise InvalidInput.many(errors)
