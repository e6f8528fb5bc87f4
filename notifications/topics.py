"""What a message is about, as the outbox stores it: built here and nowhere else.

The anonymous tracking page lists a request's messages by its topic, and the
deletion of a request deletes its messages by it: one spelling, written once,
keeps them from drifting apart. Stored rows hold these strings, so their form
(``request:42``) never changes.
"""

from enum import StrEnum


class TopicKind(StrEnum):
    ACCOUNT = "account"
    PAYMENT = "payment"
    REQUEST = "request"
    APPOINTMENT = "appointment"


# Topics of no single object: the notice before an inactive account's deletion, and the
# mail after a closure (the account's pk means nothing any more).
ACCOUNT_CLOSED = "account-closed"
ACCOUNT_INACTIVE = "account-inactive"


def topic(kind: TopicKind, pk: int) -> str:
    """``request:42``: the messages about one object."""
    return f"{kind}:{pk}"


def request_topic(pk: int) -> str:
    return topic(TopicKind.REQUEST, pk)


def payment_topic(pk: int) -> str:
    return topic(TopicKind.PAYMENT, pk)


def account_topic(pk: int) -> str:
    return topic(TopicKind.ACCOUNT, pk)


def appointment_topic(pk: int) -> str:
    return topic(TopicKind.APPOINTMENT, pk)
