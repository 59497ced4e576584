"""What a feature declares to the realtime mechanism, and the registry that merges them.

A feature package builds one `Feature` in its `events.py`: its mutations (client ->
server events that change something), queries (events that only answer), how each of
its domain events goes on the wire, its part of a screen's snapshot, what follows its
commits, its coalesced tallies, and who it lets connect. The app factory hands the
features to `init_realtime`; nothing in `realtime/` imports a feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from facilitator.realtime.connections import Kind, Principal
from facilitator.realtime.declarations import (
    Along,
    Ask,
    BatchContext,
    Context,
    Effects,
    Follower,
    Guard,
    Identify,
    Joiner,
    Message,
    MutationSpec,
    Outcome,
    P,
    Preload,
    QuerySpec,
    Refused,
    RenderContext,
    Renderer,
    SnapshotContext,
    SnapshotPart,
    Tally,
    TallyContext,
)
from facilitator.realtime.rooms import Audience

F = TypeVar("F", bound=Callable[..., Any])

# What features import from here (declared in realtime/declarations.py).
__all__ = [
    "Along",
    "Ask",
    "BatchContext",
    "Context",
    "Effects",
    "Feature",
    "Follower",
    "Guard",
    "Identify",
    "Joiner",
    "Message",
    "MutationSpec",
    "Outcome",
    "Preload",
    "QuerySpec",
    "Refused",
    "Registry",
    "RenderContext",
    "Renderer",
    "SnapshotContext",
    "SnapshotPart",
    "Tally",
    "TallyContext",
    "keep",
]


def keep(db: Session, *loaded: object) -> None:
    """Keep what a guard loaded alive for the rest of the unit of work.

    The session's identity map holds objects weakly: without a reference, the feature's
    own `db.get` of the same row after the guard would query the database again.
    """
    db.info.setdefault("facilitator.kept", []).extend(loaded)


class Feature:
    def __init__(self, name: str) -> None:
        self.name = name
        self.mutations: list[MutationSpec[Any]] = []
        self.queries: list[QuerySpec[Any]] = []
        self.renderers: dict[type, Renderer] = {}
        self.emits: set[str] = set()
        self.followers: dict[type, list[Follower]] = {}
        self.alongs: dict[type, list[Along]] = {}
        self.snapshot_parts: list[SnapshotPart] = []
        self.tallies: list[Tally] = []
        self.identifiers: dict[str, Identify] = {}
        self.guards: list[Guard] = []
        self.preloads: list[Preload] = []
        self.joiners: list[Joiner] = []

    def mutation(
        self,
        event: str,
        payload: type[P],
        senders: Iterable[Kind],
        *,
        batched: bool = False,
        checks_first: bool = False,
    ) -> Callable[[Callable[[Context, P], tuple[Any, Sequence[object]]]], Any]:
        """`batched`: what many senders send at once (answers, votes) shares one unit of
        work and one commit with the others of its kind that arrive together.

        `checks_first`: the mutation refuses (Refused, DomainError) only before it has
        written anything, so that in a batch a refusal needs no savepoint to take its
        writes back (two statements and their compilation, each time). A write that
        fails is no refusal: the batch then runs each mutation alone."""

        def register(apply: Callable[[Context, P], tuple[Any, Sequence[object]]]) -> Any:
            spec = MutationSpec(
                event, payload, frozenset(senders), apply, batched, checks_first=checks_first
            )
            self.mutations.append(spec)
            return apply

        return register

    def batch(self, event: str) -> Callable[[F], F]:
        """The set-based form of the mutation `event` (declared before): the batch's asks
        in one go, an outcome each, in order. A refused ask must leave nothing written."""

        def register(apply_many: F) -> F:
            for i, spec in enumerate(self.mutations):
                if spec.event == event:
                    self.mutations[i] = replace(spec, batched=True, apply_many=apply_many)
                    return apply_many
            raise ValueError(f"{event} is not a mutation of {self.name}")

        return register

    def query(
        self, event: str, payload: type[P], senders: Iterable[Kind], *, guarded: bool = True
    ) -> Callable[[Callable[[Context, P], Any]], Any]:
        """An event that only answers. `guarded=False` for what reveals nothing of the
        workshop (the clock): no guard queries on a hot path."""

        def register(answer: Callable[[Context, P], Any]) -> Any:
            self.queries.append(QuerySpec(event, payload, frozenset(senders), answer, guarded))
            return answer

        return register

    def renders(self, event_type: type, *names: str) -> Callable[[F], F]:
        """`names`: every server -> client event the renderer may send."""

        def register(renderer: F) -> F:
            self.renderers[event_type] = renderer
            self.emits.update(names)
            return renderer

        return register

    def after_commit(self, event_type: type) -> Callable[[F], F]:
        def register(follower: F) -> F:
            self.followers.setdefault(event_type, []).append(follower)
            return follower

        return register

    def along(self, event_type: type) -> Callable[[F], F]:
        """What this feature changes, before the commit, when another feature's service
        returns `event_type`: one unit of work for both, so a failure changes neither."""

        def register(change: F) -> F:
            self.alongs.setdefault(event_type, []).append(change)
            return change

        return register

    def snapshot(self, part: F) -> F:
        self.snapshot_parts.append(part)
        return part

    def tally(
        self,
        event: str,
        audience: Callable[[int], Audience],
        *,
        on_connection: bool = False,
        every: float = 0.0,
    ) -> Callable[[F], F]:
        """A count sent to `audience` at most each tick of the tallies loop, or each
        `every` seconds. One event may go to several audiences at paces of their own
        (stack the decorators): marking the event recounts it for all of them."""

        def register(compute: F) -> F:
            self.tallies.append(Tally(event, audience, compute, on_connection, every))
            return compute

        return register

    def identifies(self, kind: Kind) -> Callable[[F], F]:
        """Who may connect as `kind`, from the socket's auth payload."""

        def register(identify: F) -> F:
            self.identifiers[kind] = identify
            return identify

        return register

    def guard(self, check: F) -> F:
        """Checked before every event a connected socket sends: is the sender still allowed?"""
        self.guards.append(check)
        return check

    def preload(self, load: F) -> F:
        """Before a batch's guards run: load what they read for every sender at once."""
        self.preloads.append(load)
        return load

    def joins(self, rooms: F) -> F:
        """The groups a screen follows, asked when it connects and at each `live.sync`.

        A change of membership is the feature's to announce (to the participant's or the
        moderators' stream); the screen then asks for a snapshot, which moves its sockets
        to the rooms this answers, on whichever worker holds them.
        """
        self.joiners.append(rooms)
        return rooms


class Registry:
    """Every feature's declarations, merged; a name declared twice is a mistake."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features = list(features)
        self.mutations: dict[str, MutationSpec[Any]] = {}
        self.queries: dict[str, QuerySpec[Any]] = {}
        self.renderers: dict[type, Renderer] = {}
        self.followers: dict[type, list[Follower]] = {}
        self.alongs: dict[type, list[Along]] = {}
        self.snapshot_parts: list[SnapshotPart] = []
        self.tallies: dict[str, list[Tally]] = {}  # by event: its audiences
        self.identifiers: dict[str, Identify] = {}
        self.guards: list[Guard] = []
        self.preloads: list[Preload] = []
        self.joiners: list[Joiner] = []
        self.emits: set[str] = set()
        for feature in self.features:
            for spec in feature.mutations:
                self._once(spec.event, self.mutations.keys() | self.queries.keys())
                self.mutations[spec.event] = spec
            for query in feature.queries:
                self._once(query.event, self.mutations.keys() | self.queries.keys())
                self.queries[query.event] = query
            for event_type, renderer in feature.renderers.items():
                self._once(event_type.__name__, {t.__name__ for t in self.renderers})
                self.renderers[event_type] = renderer
            for event_type, followers in feature.followers.items():
                self.followers.setdefault(event_type, []).extend(followers)
            for event_type, changes in feature.alongs.items():
                self.alongs.setdefault(event_type, []).extend(changes)
            for tally in feature.tallies:
                if (
                    tally.event in self.tallies
                    and tally.compute is not self.tallies[tally.event][0].compute
                ):
                    raise ValueError(f"{tally.event} is declared by two features")
                self.tallies.setdefault(tally.event, []).append(tally)
            for kind, identify in feature.identifiers.items():
                self._once(kind, self.identifiers.keys())
                self.identifiers[kind] = identify
            self.snapshot_parts.extend(feature.snapshot_parts)
            self.guards.extend(feature.guards)
            self.preloads.extend(feature.preloads)
            self.joiners.extend(feature.joiners)
            self.emits |= feature.emits

    @staticmethod
    def _once(name: str, taken: Iterable[str]) -> None:
        if name in set(taken):
            raise ValueError(f"{name} is declared by two features")

    def render(self, ctx: RenderContext, event: object) -> list[Message]:
        renderer = self.renderers.get(type(event))
        return renderer(ctx, event) if renderer is not None else []

    def along(self, db: Session, events: Sequence[object]) -> list[object]:
        """The events with what the other features changed along with them (one pass:
        what they return is not looked up again)."""
        if not self.alongs:
            return list(events)
        more: list[object] = []
        for event in events:
            for change in self.alongs.get(type(event), ()):
                more.extend(change(db, event))
        return [*events, *more]

    def follow(self, effects: Effects, events: Iterable[object]) -> None:
        for event in events:
            for follower in self.followers.get(type(event), []):
                follower(effects, event)

    def check(self, db: Session, principal: Principal) -> None:
        for guard in self.guards:
            guard(db, principal)

    def preload(self, db: Session, principals: Sequence[Principal]) -> None:
        """Ready the guards of a batch: one read per feature instead of one per sender."""
        for load in self.preloads:
            load(db, principals)

    def groups(self, db: Session, principal: Principal) -> list[Audience]:
        joined: list[Audience] = []
        for rooms in self.joiners:
            joined.extend(rooms(db, principal))
        return joined

    def server_events(self) -> set[str]:
        """Every server -> client event a feature may send (docs/protocol.md lists them)."""
        return self.emits | set(self.tallies)
