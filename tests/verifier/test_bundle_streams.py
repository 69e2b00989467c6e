"""Chains and completeness: each stream's events link to the one before, and a stream the
bundle claims complete holds every event up to the head the checkpoint commits to.

Heads are committed by the log key, so a lying operator can commit to any
head; these bundles do (``heads=``) and the verifier still refuses what
the bundle does not prove.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledger.protocol.heads import HeadsTree, StreamTip
from tests.verifier.bundle_factory import LedgerFactory, accepted, refusal

MATTER = "matter/budget"


def _matter(events: int = 3) -> LedgerFactory:
    factory = LedgerFactory()
    factory.enrol("direktor")
    factory.act("direktor", "budget", "MatterOpened", {"responsible_body": "hmed"})
    for n in range(events - 1):
        factory.act("direktor", "budget", "MaterialShared", {"bodies": ["hmed"], "n": n})
    return factory


def _matter_with_prev(
    *, seq_1_prev: str | None = None, seq_2_prev: str | None = None
) -> LedgerFactory:
    factory = LedgerFactory()
    factory.enrol("direktor")
    override_1 = {"prev": seq_1_prev} if seq_1_prev else {}
    factory.append(
        MATTER, "MatterOpened", "direktor", {"responsible_body": "hmed"}, override=override_1
    )
    override_2 = {"prev": seq_2_prev} if seq_2_prev else {}
    factory.append(MATTER, "MaterialShared", "direktor", {"bodies": ["hmed"]}, override=override_2)
    return factory


@pytest.mark.parametrize(
    ("prevs", "leaf"),
    [({"seq_1_prev": "1" * 64}, 2), ({"seq_2_prev": "0" * 64}, 3), ({"seq_2_prev": "a" * 64}, 3)],
)
def test_a_broken_chain_is_refused_where_it_breaks(prevs: dict[str, str], leaf: int) -> None:
    factory = _matter_with_prev(**prevs)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("chain_broken", leaf)


def test_a_registry_event_chained_wrong_breaks_the_chain() -> None:
    factory = LedgerFactory()
    factory.append(
        "registry",
        "MemberAppointed",
        "admin",
        {"body": "hmed", "person": "x"},
        override={"prev": "0" * 64},
    )
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("chain_broken", 1)


def test_events_with_a_gap_between_them_are_not_chained_to_each_other() -> None:
    factory = _matter(3)
    report = accepted(factory.bundle(leaves=[0, 1, 2, 4]), factory.trust())
    assert [e.seq for e in report.entries if e.stream == MATTER] == [1, 3]
    assert report.complete == []


def test_complete_streams_are_reported_in_order_and_a_bundle_without_heads_claims_none() -> None:
    factory = _matter(2)
    report = accepted(factory.bundle(complete=["registry", MATTER]), factory.trust())
    assert report.complete == [MATTER, "registry"]
    bundle = factory.bundle(complete=[MATTER])
    del bundle["heads"]
    assert accepted(bundle, factory.trust()).complete == []


def _complete(factory: LedgerFactory, **bundle: Any) -> dict[str, Any]:
    return factory.bundle(complete=[MATTER], **bundle)


@pytest.mark.parametrize(
    "heads",
    [
        [],
        {"streams": {}},
        {"count": "2", "streams": {}},
        {"count": 2, "streams": []},
    ],
)
def test_a_malformed_heads_member_is_refused(heads: Any) -> None:
    factory = _matter(2)
    failure = refusal(_complete(factory) | {"heads": heads}, factory.trust())
    assert failure.code == "malformed_bundle"


@pytest.mark.parametrize(
    "change",
    [
        {"seq": True},
        {"seq": -1},
        {"leaf_index": "4"},
        {"index": True},
        {"index": -1},
        {"extra": 1},
    ],
)
def test_a_malformed_head_is_refused(change: dict[str, Any]) -> None:
    factory = _matter(2)
    bundle = _complete(factory)
    bundle["heads"]["streams"][MATTER] |= change
    assert refusal(bundle, factory.trust()).code == "malformed_bundle"


def test_a_head_that_is_not_an_object_or_lacks_a_member_is_refused() -> None:
    factory = _matter(2)
    bundle = _complete(factory)
    for tip in ("3", {"seq": 2, "hash": "0" * 64, "leaf_index": 3, "index": 0}):
        bundle["heads"]["streams"][MATTER] = tip
        assert refusal(bundle, factory.trust()).code == "malformed_bundle"


def test_a_head_proof_that_does_not_lead_to_the_heads_root_is_refused() -> None:
    factory = _matter(2)
    change: dict[str, Any]
    for change in (
        {"index": 1},
        {"index": 2},
        {"proof": "AAAA"},
        {"proof": []},
        {"seq": 1},
        {"leaf_index": 2},
    ):
        bundle = _complete(factory)
        bundle["heads"]["streams"][MATTER] |= change
        assert refusal(bundle, factory.trust()).code == "head_proof_invalid", change
    bundle = _complete(factory)
    bundle["heads"]["streams"]["matter/other"] = bundle["heads"]["streams"].pop(MATTER)
    assert refusal(bundle, factory.trust()).code == "head_proof_invalid"
    bundle = _complete(factory)
    bundle["heads"]["streams"][MATTER]["proof"] = ["!"]
    assert refusal(bundle, factory.trust()).code == "malformed_bundle"


def _lying(factory: LedgerFactory, **change: Any) -> HeadsTree:
    """The log's heads with the matter's head changed: an operator committing to a false head."""
    tips = []
    for tip in factory.heads().tips:
        values: dict[str, Any] = {
            "stream": tip.stream,
            "seq": tip.seq,
            "hash": tip.hash,
            "leaf_index": tip.leaf_index,
        }
        tips.append(StreamTip(**(values | change)) if tip.stream == MATTER else tip)
    return HeadsTree(tips)


@pytest.mark.parametrize(
    "change",
    [{"seq": 3}, {"seq": 1}, {"seq": 0}, {"hash": "0" * 64}, {"leaf_index": 2}],
)
def test_a_head_the_events_do_not_end_at_leaves_the_stream_incomplete(
    change: dict[str, Any],
) -> None:
    factory = _matter(2)
    failure = refusal(_complete(factory, heads=_lying(factory, **change)), factory.trust())
    assert failure.code == "incomplete_stream"


def test_a_complete_stream_must_hold_every_event_from_the_first() -> None:
    factory = _matter(3)
    for leaves in ([0, 1, 3, 4], [0, 1, 2, 3], [0, 1, 2, 4], [0, 1]):
        assert refusal(_complete(factory, leaves=leaves), factory.trust()).code == (
            "incomplete_stream"
        ), leaves


# --- a log key that logs a stream out of its order -----------------------------------
#
# The log key decides where each event sits in the tree.  Each case below is a ledger
# its holder could sign: the stream's own events are genuine and chained, only their
# places in the log or the head committed to are bent.  A stream is judged by its
# sequence numbers (1 to the head, each once, chained), never by leaf order.


def _swapped(factory: LedgerFactory, first: int, second: int) -> None:
    """Put two logged events in each other's places in the log (what only the log key can)."""
    log = factory.log
    log[first], log[second] = log[second], log[first]
    log[first].leaf_index, log[second].leaf_index = first, second


def _head_at(factory: LedgerFactory, seq: int) -> HeadsTree:
    """The log's heads with the matter's head at its event ``seq`` (wherever it sits)."""
    [event] = [e for e in factory.log if e.body["stream"] == MATTER and e.body["seq"] == seq]
    return _lying(factory, seq=seq, hash=event.envelope_hash, leaf_index=event.leaf_index)


def test_a_stream_logged_out_of_order_is_complete_by_its_sequence_numbers() -> None:
    factory = _matter(3)  # leaves: genesis, enrolment, then seq 1, 2, 3 of the matter
    _swapped(factory, 3, 4)  # seq 2 before seq 1
    report = accepted(_complete(factory, heads=_head_at(factory, 3)), factory.trust())
    assert MATTER in report.complete


def test_a_long_stream_is_counted_as_numbers_not_as_text() -> None:
    factory = _matter(12)  # seq 1..12: as text, "10" sorts before "2"
    report = accepted(_complete(factory), factory.trust())
    assert MATTER in report.complete


def test_a_stream_without_its_first_event_is_incomplete_even_when_its_count_matches() -> None:
    factory = _matter(3)
    # The bundle holds seq 2 and 3; the head claims seq 2: two events, as many as the head.
    bundle = _complete(factory, leaves=[0, 1, 3, 4], heads=_head_at(factory, 2))
    assert refusal(bundle, factory.trust()).code == "incomplete_stream"


def test_a_stream_claimed_complete_at_seq_0_with_no_events_is_incomplete() -> None:
    factory = _matter(2)
    bundle = _complete(factory, leaves=[0, 1], heads=_lying(factory, seq=0))
    assert refusal(bundle, factory.trust()).code == "incomplete_stream"


def test_a_stream_with_a_gap_below_its_head_is_incomplete_even_when_its_count_matches() -> None:
    factory = _matter(4)  # leaves 2-5: seq 1-4
    # The bundle holds seq 1, 3 and 4; the head claims seq 3: three events, as many as the head.
    bundle = _complete(factory, leaves=[0, 1, 2, 4, 5], heads=_head_at(factory, 3))
    assert refusal(bundle, factory.trust()).code == "incomplete_stream"
