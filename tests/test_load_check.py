"""The load test's check of confirmed writes (benchmarks/load/run.py): of two writes of one
record whose requests overlap, either may be stored; a write sent after another was
confirmed must win."""

from benchmarks.load.run import last_writes


def pushes(*writes):
    return [
        {"kind": "figures", "account": 1, "year": 2026, "revenue": revenue, "sent": sent, "at": at}
        for revenue, sent, at in writes
    ]


def possible(lines):
    return last_writes(lines, lambda line: (line["account"], line["year"]), "revenue")[(1, 2026)]


def test_a_write_sent_after_the_other_was_confirmed_is_the_only_last_one():
    assert possible(pushes((100, 0.0, 1.0), (200, 2.0, 3.0))) == {200}


def test_overlapping_writes_may_be_stored_in_either_order():
    # 100 was sent first and confirmed last: its request held the row lock first, then
    # spent time after the commit; 200 committed after it and answered sooner.
    assert possible(pushes((100, 0.0, 3.0), (200, 1.0, 2.0))) == {100, 200}


def test_only_writes_confirmed_after_the_last_one_was_sent_count():
    lines = pushes((100, 0.0, 1.5), (200, 1.0, 4.0), (300, 2.0, 3.0))
    assert possible(lines) == {200, 300}  # 100 was confirmed before 300 was sent


def test_lines_without_a_sending_time_keep_the_last_confirmed_value():
    lines = [{"deal": 7, "stage": stage, "at": at} for stage, at in ((1, 1.0), (2, 2.0))]
    assert last_writes(lines, lambda line: line["deal"], "stage") == {7: {2}}
