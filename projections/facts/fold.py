"""The state a pass over the log carries: the registry view and the matters' facts.

A ``LedgerFold`` is one ledger folded up to ``position`` (a tree size).
The registry view is kept whole (it is small and every row needs it); the
matters' facts are kept in a bounded cache, least recently used first out,
and a matter that is needed again is reloaded from its own stream, so that
memory stays flat however long the log grows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ledger.errors import StorageError
from ledger.protocol.envelope import REGISTRY_STREAM, matter_stream
from ledger.storage.store import Store
from projections.facts.encoding import fixed_time
from projections.facts.logged import Logged, decode, parse_moment
from projections.facts.matter import MatterFacts, Touched
from projections.facts.organisation import ORGANISATION_EVENT_TYPES
from projections.facts.registry import RegistryChanges, RegistryView

MatterLoader = Callable[[str, int], list[Logged]]
"""Load a stream's events below a leaf index: ``(stream, stop) -> events``."""


@dataclass
class FoldChanges:
    """What one batch of events changed, for the read models to write."""

    start: int
    end: int
    registry: RegistryChanges = field(default_factory=RegistryChanges)
    touched: dict[str, Touched] = field(default_factory=dict)


class LedgerFold:
    """One ledger's registry and matters as of ``position``."""

    def __init__(
        self,
        origin: str,
        *,
        loader: MatterLoader | None = None,
        cache_size: int | None = None,
    ) -> None:
        self.origin = origin
        self.position = 0
        self.latest: datetime | None = None
        self.registry = RegistryView(origin)
        self.matters: OrderedDict[str, MatterFacts] = OrderedDict()
        self.loader = loader
        self.cache_size = cache_size

    @classmethod
    def resume(
        cls, store: Store, origin: str, position: int, latest_time: str, *, cache_size: int
    ) -> LedgerFold:
        """A fold at ``position``: the registry replayed from its stream, matters on demand."""

        def load(stream: str, stop: int) -> list[Logged]:
            return [decode(record) for record in store.stream_log(origin, stream, stop)]

        fold = cls(origin, loader=load, cache_size=cache_size)
        changes = RegistryChanges()
        registry = load(REGISTRY_STREAM, position)
        organisation = [
            decode(record)
            for record in store.typed_log(origin, ORGANISATION_EVENT_TYPES, position)
            if record.stream != REGISTRY_STREAM
        ]
        for event in sorted([*registry, *organisation], key=lambda e: e.leaf):
            if event.matter is None:
                fold.registry.apply(event, changes)
            fold.registry.organisation.apply(event)
        fold.position = position
        fold.latest = parse_moment(latest_time) if latest_time else None
        return fold

    @property
    def latest_time(self) -> str:
        """The greatest claimed time folded in, fixed width ("" before any)."""
        return "" if self.latest is None else fixed_time(self.latest)

    def apply(self, events: Sequence[Logged]) -> FoldChanges:
        """Fold in the next events of the log, which must start at ``position``.

        Raises StorageError on a gap: leaf indexes are gapless, so a gap means
        the log was read wrongly or changed underneath.
        """
        changes = FoldChanges(start=self.position, end=self.position)
        for event in events:
            if event.leaf != self.position:
                raise StorageError(
                    f"read model fold of {self.origin} expected leaf {self.position}, "
                    f"got {event.leaf}",
                    leaf_index=event.leaf,
                )
            self.apply_one(event, changes)
        return changes

    def apply_one(self, event: Logged, changes: FoldChanges) -> None:
        if self.latest is None or event.moment > self.latest:
            self.latest = event.moment
        self.registry.organisation.apply(event)
        matter_id = event.matter
        if matter_id is None:
            self.registry.apply(event, changes.registry)
        else:
            touched = changes.touched.get(matter_id)
            if touched is None:  # not setdefault: that would build a Touched every event
                touched = changes.touched[matter_id] = Touched()
            self.matter(matter_id, event).apply(event, touched)
        self.position = event.leaf + 1
        changes.end = self.position

    def skip(self, event: Logged) -> None:
        """Pass over a matter event a replay does not need the matter of: it still counts
        for the reference time and for what the organisation holds."""
        if self.latest is None or event.moment > self.latest:
            self.latest = event.moment
        self.registry.organisation.apply(event)
        self.position = event.leaf + 1

    def matter(self, matter_id: str, event: Logged) -> MatterFacts:
        """The facts of ``matter_id`` up to (not including) ``event``."""
        facts = self.matters.get(matter_id)
        if facts is not None:
            self.matters.move_to_end(matter_id)
            return facts
        facts = MatterFacts(matter_id)
        if event.seq > 1:
            if self.loader is None:
                raise StorageError(
                    f"matter {matter_id} starts before this fold", leaf_index=event.leaf
                )
            ignored = Touched()
            for earlier in self.loader(matter_stream(matter_id), event.leaf):
                facts.apply(earlier, ignored)
        self.matters[matter_id] = facts
        return facts

    def evict(self) -> None:
        """Drop the least recently used matters beyond the cache size."""
        if self.cache_size is None:
            return
        while len(self.matters) > self.cache_size:
            self.matters.popitem(last=False)
