"""Queueing after commit: one publish attempt, then the broker is left alone a moment."""

from unittest import mock

import pytest

from common.queueing import broker_pause, delay_quietly
from notifications.tasks import deliver_message
from tests.processes import publishing_to

CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_a_failed_publish_leaves_the_broker_alone_for_the_next_ones():
    with publishing_to(CLOSED_PORT):
        assert delay_quietly(deliver_message, 1) is False
        assert broker_pause.active()
        with mock.patch.object(deliver_message, "apply_async", autospec=True) as publish:
            assert delay_quietly(deliver_message, 2) is False
        publish.assert_not_called()


@pytest.mark.django_db
def test_a_task_failing_in_process_is_not_taken_for_a_broker_outage():
    with mock.patch.object(deliver_message, "run", autospec=True, side_effect=RuntimeError("boom")):
        assert delay_quietly(deliver_message, 1) is False
    assert not broker_pause.active()
