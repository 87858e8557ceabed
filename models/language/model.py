"""Discrete-event model of language services: interpreting and translation (SimPy; clock in
hours; t = 0 is Monday 00:00).

One replication simulates a warm-up then an observed window. Requests of each kind arrive as a
non-stationary Poisson process (:mod:`models.kit.arrivals`) and each is for a language drawn
from the long tail (a group by its share, then one of its languages evenly):

- **custody** and **investigation** (face to face): a share is cancelled; a share is done by
  telephone or video first (an option's ``remote_first``); the rest are offered to the
  language's pool (:class:`~models.language.interpreters.LanguagePool`: staff, then the
  call-out list), then, if the part uses it, to the National Register; if nobody takes it and
  the request may be interpreted remotely, it falls back to the telephone; otherwise the force
  calls round again every ``retry_hours`` until ``give_up_hours``, and then it fails. The time
  to an interpreter is the wait plus the travel (or the telephone's connection); for custody it
  is the detention time lost waiting;
- **street** calls go straight to the telephone service, which always has a line free (an
  interpreter on the line after ``connect_minutes``: M/G/infinity);
- **translation** documents queue for a team of translators, first come first served (M/G/c).

Requests arriving in the window are followed to their end (arrivals go on meanwhile, so the
pools stay as loaded); counts are scaled to a year of 365 days.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import simpy

from models.kit.arrivals import arrivals, poisson_arrival_times
from models.kit.distributions import BlockSampler
from models.kit.observation import Metric, observe
from models.kit.roster import build_roster
from models.kit.runs import HOURS_PER_DAY, ServiceRun
from models.kit.streams import Streams
from models.language.config import (
    ATTENDANCE_KINDS,
    GROUPS,
    KINDS,
    PART_GROUPS,
    LanguageConfig,
    OptionSpec,
)
from models.language.interpreters import LanguagePool, listed_interpreters

__all__ = [
    "DAYS_PER_YEAR",
    "PART_VOLUMES",
    "STREAMS",
    "LanguageRun",
    "LanguageTrace",
    "metric_names",
    "metrics",
    "simulate",
    "trace",
]

DAYS_PER_YEAR = 365.0
"""Counts in a window are scaled to a year of this many days."""
PART_VOLUMES = (
    "bookings",
    "staff_bookings",
    "callout_bookings",
    "register_bookings",
    "session_hours",
    "paid_hours",
    "cancelled",
    "missed",
)
"""What the model counts of each part a year (metrics ``<part>_<volume>_per_year``): its
bookings, those taken by staff, the call-out list and the register, the hours interpreted and
paid, the requests cancelled and those not met within their deadline (``missed``)."""
HOURS_PER_MONTH = DAYS_PER_YEAR * HOURS_PER_DAY / 12.0

STREAMS: dict[str, str] = {
    "language.arrivals.<kind>": "request times (thinning)",
    "language.language.<kind>": "language group and language of each request",
    "language.choice.<kind>": "cancelled, remote first, remote acceptable (one draw each)",
    "language.session.<kind>": "session length",
    "language.travel.<kind>.<group>": "an interpreter's travel, one way",
    "language.register_travel.<kind>": "a register interpreter's travel, one way",
    "language.call.<kind>": "a free interpreter can take the request; each round, the register",
    "language.connect.<kind>": "time to an interpreter on the telephone",
    "language.call_minutes": "length of a street call",
    "language.document_hours": "a translator's time on a document",
}
"""The named random streams the model draws from (one per random activity)."""


@dataclass(frozen=True)
class LanguageRun(ServiceRun[LanguageConfig, OptionSpec]):
    """What one call of :func:`simulate` runs (:class:`~models.kit.runs.ServiceRun`,
    picklable): an option of the ``language:`` section in a demand year, every kind of request
    scaled by ``(1 + growth) ** year``.

    ``go_live_month``: supply as it is that many months after a contractor's go-live (its
    parts' ``go_live`` recruitment curve); ``None`` (the default): at full strength.
    """

    service: ClassVar[str] = "language"

    go_live_month: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        month = self.go_live_month
        if month is not None and (not math.isfinite(month) or month < 0):
            raise ValueError(f"go_live_month must be a finite number >= 0, got {month}")

    @property
    def factor(self) -> float:
        """Demand factor of the run's year."""
        return self.config.demand_factor(self.year)


@dataclass(frozen=True)
class LanguageTrace:
    """One replication's series for charts, by day of the window (not for run_replications)."""

    option: str
    days: np.ndarray
    """Day of the window (0 = its first day)."""
    face_to_face_requests: np.ndarray
    fulfilled: np.ndarray
    within_deadline: np.ndarray
    custody_hours_lost: np.ndarray
    metrics: dict[str, float]
    """The same figures :func:`simulate` returns for this replication."""


# --------------------------------------------------------------------------- tallies


@dataclass
class _KindTally:
    requests: int = 0
    cancelled: int = 0
    fulfilled: int = 0
    within: int = 0
    remote_first: int = 0
    fell_back: int = 0
    failed: int = 0
    time_to_interpreter: float = 0.0


@dataclass
class _PartTally:
    bookings: int = 0
    staff_bookings: int = 0
    callout_bookings: int = 0
    register_bookings: int = 0
    session_hours: float = 0.0
    paid_hours: float = 0.0
    cancelled: int = 0
    missed: int = 0
    callout_busy_hours: float = 0.0
    staff_busy_hours: float = 0.0


@dataclass
class _State:
    """What the window observed (requests arriving in it), for :func:`metrics`."""

    window_hours: float
    listed: dict[str, int]
    staff_hours: dict[str, float]
    kinds: dict[str, _KindTally] = field(default_factory=lambda: {k: _KindTally() for k in KINDS})
    groups: dict[str, _KindTally] = field(default_factory=lambda: {g: _KindTally() for g in GROUPS})
    parts: dict[str, _PartTally] = field(
        default_factory=lambda: {p: _PartTally() for p in PART_GROUPS}
    )
    custody_hours_lost: float = 0.0
    telephone_calls: int = 0
    telephone_minutes: float = 0.0
    telephone_in_window_hours: float = 0.0
    translation_wait_hours: float = 0.0
    translation_started: int = 0
    translation_late: int = 0
    translation_hours: float = 0.0
    translator_busy_hours: float = 0.0
    translators: int = 1

    @property
    def per_year(self) -> float:
        return DAYS_PER_YEAR * HOURS_PER_DAY / self.window_hours


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else math.nan


def _face_to_face(s: _State) -> _KindTally:
    total = _KindTally()
    for kind in ATTENDANCE_KINDS:
        k = s.kinds[kind]
        total.requests += k.requests
        total.fulfilled += k.fulfilled
        total.within += k.within
        total.fell_back += k.fell_back
        total.failed += k.failed
    return total


_SHARES = {
    "fulfilled_share": "fulfilled",
    "within_deadline_share": "within",
    "fell_back_share": "fell_back",
    "failed_share": "failed",
}
"""Shares of a tally's requests: the metric's suffix and the count of the tally it takes."""


def _shares(
    prefix: str, tally: Callable[[_State], _KindTally], names: Iterable[str]
) -> list[Metric[_State]]:
    """Metrics ``<prefix><name>`` for each of ``names`` (keys of :data:`_SHARES`): that count
    of the tally, as a share of its requests."""

    def share_of(count: str) -> Callable[[_State], float]:
        return lambda s: _share(getattr(tally(s), count), tally(s).requests)

    return [Metric(prefix + name, share_of(_SHARES[name])) for name in names]


def _kind(kind: str) -> Callable[[_State], _KindTally]:
    return lambda s: s.kinds[kind]


def _group(group: str) -> Callable[[_State], _KindTally]:
    return lambda s: s.groups[group]


def metrics(config: LanguageConfig) -> list[Metric[_State]]:
    """Every metric of the model, declared once (names: :func:`metric_names`).

    Shares are of requests not cancelled; ``fulfilled_share`` and ``within_deadline_share``
    are of the face-to-face bookings (custody and investigation, as the Ministry of Justice
    counted bookings); counts, hours and minutes are a year."""
    out: list[Metric[_State]] = []
    for kind in KINDS:
        out += [
            Metric(f"{kind}_requests_per_year", lambda s, k=kind: s.kinds[k].requests * s.per_year),
            *_shares(f"{kind}_", _kind(kind), ("fulfilled_share", "within_deadline_share")),
            Metric(
                f"{kind}_time_to_interpreter_mean_hours",
                lambda s, k=kind: _share(s.kinds[k].time_to_interpreter, s.kinds[k].fulfilled),
            ),
        ]
    for kind in ATTENDANCE_KINDS:
        out += _shares(f"{kind}_", _kind(kind), ("fell_back_share", "failed_share"))
    for group in GROUPS:
        out += _shares(f"{group}_", _group(group), ("fulfilled_share", "within_deadline_share"))
    for part in PART_GROUPS:
        for volume in PART_VOLUMES:
            out.append(
                Metric(
                    f"{part}_{volume}_per_year",
                    lambda s, p=part, v=volume: getattr(s.parts[p], v) * s.per_year,
                )
            )
        out += [
            Metric(
                f"{part}_callout_utilisation",
                lambda s, p=part: _share(
                    s.parts[p].callout_busy_hours, s.listed[p] * s.window_hours
                ),
            ),
            Metric(
                f"{part}_staff_utilisation",
                lambda s, p=part: _share(s.parts[p].staff_busy_hours, s.staff_hours[p]),
            ),
        ]
    out += [
        *_shares("", _face_to_face, _SHARES),
        Metric("failed_per_year", lambda s: _face_to_face(s).failed * s.per_year),
        Metric("fell_back_per_year", lambda s: _face_to_face(s).fell_back * s.per_year),
        Metric("custody_hours_lost_per_year", lambda s: s.custody_hours_lost * s.per_year),
        Metric(
            "custody_hours_lost_per_request",
            lambda s: _share(s.custody_hours_lost, s.kinds["custody"].requests),
        ),
        Metric("telephone_calls_per_year", lambda s: s.telephone_calls * s.per_year),
        Metric("telephone_minutes_per_year", lambda s: s.telephone_minutes * s.per_year),
        Metric(
            "telephone_calls_in_progress_mean",
            lambda s: s.telephone_in_window_hours / s.window_hours,
        ),
        Metric(
            "translation_documents_per_year",
            lambda s: s.kinds["translation"].requests * s.per_year,
        ),
        Metric("translation_late_per_year", lambda s: s.translation_late * s.per_year),
        Metric(
            "translation_wait_mean_hours",
            lambda s: _share(s.translation_wait_hours, s.translation_started),
        ),
        Metric(
            "translator_utilisation",
            lambda s: s.translator_busy_hours / (s.translators * s.window_hours),
        ),
        Metric(
            "interpreting_hours_per_year",
            lambda s: (
                (sum(p.session_hours for p in s.parts.values()) + s.telephone_minutes / 60.0)
                * s.per_year
            ),
        ),
        Metric(
            "fulfilled_hours_per_year",
            lambda s: (
                (
                    sum(p.session_hours for p in s.parts.values())
                    + s.telephone_minutes / 60.0
                    + s.translation_hours
                )
                * s.per_year
            ),
        ),
    ]
    return out


def metric_names(config: LanguageConfig, option: str) -> list[str]:
    """Names of every metric :func:`simulate` can return for ``option`` (a share or mean with
    nothing observed is left out)."""
    if option not in config.options:
        raise ValueError(f"no language option {option!r} (options: {', '.join(config.options)})")
    return [m.name for m in metrics(config)]


# --------------------------------------------------------------------------- the model


def _uniforms(rng: np.random.Generator) -> BlockSampler:
    return BlockSampler(rng.random, 0.5)


def _overlap(start: float, end: float, low: float, high: float) -> float:
    return max(0.0, min(end, high) - max(start, low))


class _Model:
    """One replication of one option."""

    def __init__(self, run: LanguageRun, streams: Streams, *, keep_trace: bool = False) -> None:
        self.run = run
        self.config = config = run.config
        self.spec = spec = run.spec
        self.streams = streams
        self.env = simpy.Environment()
        self.start = run.warmup_hours
        self.end = run.warmup_hours + run.window_hours
        attendance = [config.requests.custody, config.requests.investigation]
        tail = max(k.give_up_hours + k.retry_hours for k in attendance)
        self.until = self.end + max(tail, config.requests.translation.deadline_hours) + 1.0
        self.pools: dict[tuple[str, int], LanguagePool] = {}
        self.accept = {part: self._accept(part) for part in PART_GROUPS}
        self.state = _State(
            window_hours=run.window_hours,
            listed=self._listed(),
            staff_hours=self._staff_hours(),
            translators=spec.translation.translators,
        )
        days = max(1, math.ceil(run.window_hours / HOURS_PER_DAY))
        self.daily = np.zeros((4, days)) if keep_trace else None
        self.translators = simpy.Resource(self.env, capacity=spec.translation.translators)

    # ---------------------------------------------------------------- supply

    def _accept(self, part: str) -> float:
        spec = getattr(self.spec, part)
        return spec.availability * self.config.willing_share(self.run.option, part)

    def _per_language(self, part: str, group: str) -> float:
        """Interpreters on the part's books for each language of ``group``: its list, times the
        share recruited by the run's month after go-live."""
        spec = getattr(self.spec, part)
        recruited = 1.0 if spec.go_live is None else spec.go_live.share(self.run.go_live_month)
        return spec.interpreters_per_language[group] * recruited

    def _listed(self) -> dict[str, int]:
        out = {}
        for part, groups in PART_GROUPS.items():
            out[part] = sum(
                listed_interpreters(self._per_language(part, g), n, i)
                for g in groups
                for n in [self.config.language_groups.group(g).languages]
                for i in range(n)
            )
        return out

    def _staff_hours(self) -> dict[str, float]:
        out = {}
        for part in PART_GROUPS:
            staff = getattr(self.spec, part).staff
            if staff is None:
                out[part] = 0.0
                continue
            roster = build_roster(staff.per_language)
            languages = self.config.language_groups.common.languages
            out[part] = languages * roster.weekly_capacity_hours * self.run.window_hours / 168.0
        return out

    def pool(self, group: str, index: int) -> LanguagePool:
        """The pool of language ``index`` of ``group`` (made on first use)."""
        key = (group, index)
        found = self.pools.get(key)
        if found is None:
            part = _part_of(group)
            spec = getattr(self.spec, part)
            n = self.config.language_groups.group(group).languages
            staff = spec.staff
            found = LanguagePool(
                listed=listed_interpreters(self._per_language(part, group), n, index),
                accept=self.accept[part],
                staff=None if staff is None else build_roster(staff.per_language),
                staff_kinds=frozenset(() if staff is None else staff.kinds),
            )
            self.pools[key] = found
        return found

    # ---------------------------------------------------------------- demand

    def execute(self) -> _State:
        """Run the replication and return what its window observed."""
        factor = self.run.factor
        for kind in KINDS:
            demand = self.config.requests.kind(kind)
            times = poisson_arrival_times(
                demand.profile(factor), self.streams[f"language.arrivals.{kind}"]
            )
            self.env.process(arrivals(self.env, times, self._starter(kind), until=self.until))
        self.env.run(until=self.until)
        return self.state

    def _starter(self, kind: str) -> Callable[[float], Any]:
        env, streams, config = self.env, self.streams, self.config
        if kind == "street":
            connect = self.spec.telephone.connect_minutes.build(streams["language.connect.street"])
            minutes = config.requests.street.call_minutes.build(streams["language.call_minutes"])
            return lambda now: self._street(now, connect.sample() / 60.0, minutes.sample())
        if kind == "translation":
            work = self.spec.translation.document_hours.build(streams["language.document_hours"])
            return lambda now: env.process(self._translate(now, work.sample()))
        return self._attendance_starter(kind)

    def _attendance_starter(self, kind: str) -> Callable[[float], Any]:
        env, streams, config = self.env, self.streams, self.config
        demand = config.requests.kind(kind)
        groups = config.language_groups
        which = _uniforms(streams[f"language.language.{kind}"])
        choice = _uniforms(streams[f"language.choice.{kind}"])
        call = _uniforms(streams[f"language.call.{kind}"])
        session = demand.session_hours.build(streams[f"language.session.{kind}"])
        travel = {
            g: groups.group(g).travel_hours.build(streams[f"language.travel.{kind}.{g}"])
            for g in GROUPS
        }
        register = config.national_register.travel_hours.build(
            streams[f"language.register_travel.{kind}"]
        )
        connect = self.spec.telephone.connect_minutes.build(streams[f"language.connect.{kind}"])
        bounds = np.cumsum([groups.group(g).share for g in GROUPS])

        rounds = 1 + math.floor(demand.give_up_hours / demand.retry_hours)

        def start(now: float) -> None:
            u = which.sample()
            g = min(int(np.searchsorted(bounds, u, side="right")), len(GROUPS) - 1)
            group = GROUPS[g]
            low = bounds[g - 1] if g else 0.0
            width = bounds[g] - low
            n = groups.group(group).languages
            index = min(int((u - low) / width * n), n - 1) if width > 0 else 0
            draws = _Request(
                kind=kind,
                group=group,
                index=index,
                cancelled=choice.sample(),
                remote_first=choice.sample(),
                remote_ok=choice.sample(),
                session=session.sample(),
                travel=travel[group].sample(),
                register_travel=register.sample(),
                connect=connect.sample() / 60.0,
                luck=call.sample(),
                register=tuple(call.take(rounds)),
            )
            env.process(self._attend(now, draws))

        return start

    # ---------------------------------------------------------------- processes

    def _observed(self, now: float) -> bool:
        return self.start <= now < self.end

    def _record(self, r: _Request, arrived: float, outcome: str, waited: float) -> None:
        """Count a face-to-face request's outcome (``in_person``, ``remote_first``,
        ``fell_back``, ``failed``) and its time to an interpreter (hours)."""
        if not self._observed(arrived):
            return
        demand = self.config.requests.kind(r.kind)
        tallies = (self.state.kinds[r.kind], self.state.groups[r.group])
        fulfilled = outcome != "failed"
        within = fulfilled and waited <= demand.deadline_hours
        for t in tallies:
            t.requests += 1
            t.fulfilled += fulfilled
            t.within += within
            t.fell_back += outcome == "fell_back"
            t.remote_first += outcome == "remote_first"
            t.failed += outcome == "failed"
            if fulfilled:
                t.time_to_interpreter += waited
        if not within:
            self.state.parts[_part_of(r.group)].missed += 1
        if r.kind == "custody":
            self.state.custody_hours_lost += waited
        if self.daily is not None:
            day = int((arrived - self.start) // HOURS_PER_DAY)
            if day < self.daily.shape[1]:
                self.daily[:, day] += (1, fulfilled, within, waited if r.kind == "custody" else 0)

    def _attend(self, now: float, r: _Request) -> Generator:
        arrived = now
        demand = self.config.requests.kind(r.kind)
        part = _part_of(r.group)
        if r.cancelled < demand.cancelled_share:
            if self._observed(arrived):
                self.state.kinds[r.kind].cancelled += 1
                self.state.parts[part].cancelled += 1
            return
        if r.remote_first < getattr(self.spec.remote_first, r.kind):
            self._remote(arrived, r, "remote_first")
            return
        spec = getattr(self.spec, part)
        pool = self.pool(r.group, r.index)
        env = self.env
        find = self.config.national_register.find_share
        for found in r.register:
            source = pool.offer(env.now, r.kind, r.luck)
            if source is None and spec.uses_register and found < find:
                source = "register"
            if source is not None:
                travel = r.register_travel if source == "register" else r.travel
                travel *= spec.travel_time_factor
                waited = env.now - arrived + travel
                self._record(r, arrived, "in_person", waited)
                self._booked(arrived, part, source, r.session, spec.terms)
                busy_from = env.now
                yield env.timeout(2.0 * travel + r.session)
                if source != "register":
                    pool.release(source)
                    self._busy(part, source, busy_from, env.now)
                return
            if r.remote_ok < demand.remote_acceptable:
                self._remote(arrived, r, "fell_back")
                return
            if env.now - arrived + demand.retry_hours > demand.give_up_hours:
                break
            yield env.timeout(demand.retry_hours)
        self._record(r, arrived, "failed", env.now - arrived)

    def _booked(self, arrived: float, part: str, source: str, session: float, terms: Any) -> None:
        if not self._observed(arrived):
            return
        tally = self.state.parts[part]
        tally.bookings += 1
        tally.session_hours += session
        if source == "staff":
            tally.staff_bookings += 1
            return
        tally.paid_hours += max(terms.minimum_hours, session)
        if source == "register":
            tally.register_bookings += 1
        else:
            tally.callout_bookings += 1

    def _busy(self, part: str, source: str, start: float, end: float) -> None:
        hours = _overlap(start, end, self.start, self.end)
        tally = self.state.parts[part]
        if source == "staff":
            tally.staff_busy_hours += hours
        else:
            tally.callout_busy_hours += hours

    def _remote(self, arrived: float, r: _Request, outcome: str) -> None:
        """Interpreted by telephone or video: an interpreter on the line after the connection."""
        self._record(r, arrived, outcome, self.env.now - arrived + r.connect)
        self._call(arrived, self.env.now + r.connect, r.session)

    def _street(self, now: float, connect: float, minutes: float) -> None:
        if self._observed(now):
            tally = self.state.kinds["street"]
            tally.requests += 1
            tally.fulfilled += 1
            tally.within += connect * 60.0 <= self.config.requests.street.deadline_minutes
            tally.time_to_interpreter += connect
        self._call(now, now + connect, minutes / 60.0)

    def _call(self, arrived: float, start: float, hours: float) -> None:
        """A call on the telephone service from ``start`` for ``hours``."""
        self.state.telephone_in_window_hours += _overlap(start, start + hours, self.start, self.end)
        if self._observed(arrived):
            self.state.telephone_calls += 1
            self.state.telephone_minutes += 60.0 * hours

    def _translate(self, now: float, work: float) -> Generator:
        observed = self._observed(now)
        tally = self.state.kinds["translation"]
        if observed:
            tally.requests += 1
            self.state.translation_late += 1  # until delivered on time
        with self.translators.request() as turn:
            yield turn
            started = self.env.now
            yield self.env.timeout(work)
        done = self.env.now
        self.state.translator_busy_hours += _overlap(started, done, self.start, self.end)
        if observed:
            self.state.translation_started += 1
            self.state.translation_wait_hours += started - now
            self.state.translation_hours += work
            tally.fulfilled += 1
            tally.time_to_interpreter += done - now
            if done - now <= self.config.requests.translation.deadline_hours:
                tally.within += 1
                self.state.translation_late -= 1


@dataclass(frozen=True)
class _Request:
    """A face-to-face request's draws, made on arrival (the same under every option)."""

    kind: str
    group: str
    index: int
    cancelled: float
    remote_first: float
    remote_ok: float
    session: float
    travel: float
    register_travel: float
    connect: float
    luck: float
    """Whether a free listed interpreter can take this request (one draw for every round:
    an interpreter who cannot come now rarely can an hour later)."""
    register: tuple[float, ...]
    """One draw a call round: the register finds someone."""


def _part_of(group: str) -> str:
    for part, groups in PART_GROUPS.items():
        if group in groups:
            return part
    raise ValueError(f"no language group {group!r}")


# --------------------------------------------------------------------------- entry points


def simulate(run: LanguageRun, streams: Streams) -> dict[str, float]:
    """Simulate one replication of ``run`` and return its metrics (flat, for run_replications).

    Metric names: :func:`metric_names`; a share or mean with nothing observed is left out."""
    state = _Model(run, streams).execute()
    return observe(metrics(run.config), state, drop_nan=True)


def trace(run: LanguageRun, streams: Streams) -> LanguageTrace:
    """Simulate one replication and keep, by day of the window, the face-to-face requests,
    those fulfilled and within their deadline, and the custody hours lost waiting."""
    model = _Model(run, streams, keep_trace=True)
    state = model.execute()
    daily = model.daily
    assert daily is not None
    return LanguageTrace(
        option=run.option,
        days=np.arange(daily.shape[1]),
        face_to_face_requests=daily[0],
        fulfilled=daily[1],
        within_deadline=daily[2],
        custody_hours_lost=daily[3],
        metrics=observe(metrics(run.config), state, drop_nan=True),
    )
