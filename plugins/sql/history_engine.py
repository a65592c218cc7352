"""The history engine: rollups kept up with ingest, bounded sampled reads and step-range pages.

:meth:`HistoryEngine.record` folds each new line's user keys into :class:`HistoryRollup`
buckets of 64/512/4096/32768 lines, just after the lines are committed (history_folder.py).
Reads never load a whole run:

- a step range becomes a line range with two seeks on the ``(run, step)`` index (wandb steps
  only grow, so lines in between are exactly the range);
- a sampled read of keys covers the line range with whole buckets of one level (plus finer
  buckets and at most 126 raw lines at the edges), groups them into output buckets and fetches
  only the rows holding each group's minimum, maximum, last and first NaN/Infinity value by
  primary key. When the keys hold no more values than asked for, it returns all of them;
- a small range (at most ``RAW_LINES`` lines) is read and filtered directly: exact values.

Rows come back parsed from the stored line, so every value is exactly what the client logged.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

import orjson

from roost.core.dotted import dotted_get
from roost.core.history import SampledRows, columns_of, flatten
from roost.plugins.sql import history_rollup as rollup
from roost.plugins.sql.conditions import any_of
from roost.plugins.sql.database import engine
from roost.plugins.sql.history_models import FINEST, LEVELS, HistoryKey, HistoryRollup
from roost.plugins.sql.models import EventLine, HistoryLine
from roost.plugins.sql.statements import Statements

# Ranges of at most this many lines are read whole and filtered in Python.
RAW_LINES = 2048
# A sampled read whose finest buckets (64 lines) are fewer than the output buckets asked for
# reads the lines themselves, up to RAW_PER_SAMPLE lines per row asked and RAW_SAMPLE_LINES
# in all: rollups alone would answer one bucket per 64 lines, fewer points than asked (a
# 2,500-line run asked for 150 buckets got 39). Past that the rollups answer, coarser, and
# say so (SampledRows.buckets) so the chart still draws each bucket with its band.
RAW_SAMPLE_LINES = 16_384
RAW_PER_SAMPLE = 8
# A sampled read uses the finest level whose buckets over the range number at most this many
# per output bucket (and at least MIN_UNITS in all), so it reads a bounded number of rollups.
UNITS_PER_BUCKET = 4
MIN_UNITS = 1024
FETCH_BATCH = 500
PK_BATCH = 200
MISSING = object()


def parse(line: str) -> dict:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)  # NaN and Infinity, which wandb writes bare


def digest(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()


def cover(start: int, end: int, levels: tuple[int, ...]) -> tuple[list, list]:
    """Split lines [start, end) into whole buckets, coarsest first, and raw edge ranges.

    Returns ``([(level, first_bucket, last_bucket), ...], [(line_from, line_to), ...])``.
    """
    ranges: list[tuple[int, int, int]] = []
    raw: list[tuple[int, int]] = []

    def split(low: int, high: int, index: int) -> None:
        if low >= high:
            return
        if index < 0:
            raw.append((low, high))
            return
        level = levels[index]
        width = 1 << level
        aligned_low, aligned_high = -(-low // width) * width, high // width * width
        if aligned_low >= aligned_high:
            split(low, high, index - 1)
            return
        ranges.append((level, aligned_low >> level, (aligned_high >> level) - 1))
        split(low, aligned_low, index - 1)
        split(aligned_high, high, index - 1)

    split(start, end, len(levels) - 1)
    return ranges, raw


ROLLUP_TABLE = HistoryRollup._meta.table_name
ROLLUP_COLUMNS = ("run", "key", "level", "bucket", "count", "first_line", "last_line",
                  "min_value", "min_line", "max_value", "max_line", "odd_line")


class HistoryEngine:
    def __init__(self, statements: Statements):
        # Ingest and read statements are prepared once per shape: building a query's SQL in
        # peewee costs more than running it at file_stream rates.
        self.statements = statements
        self.by_arrays = engine(statements.db) == "postgresql"

    def _by_primary_keys(self, kind: str, run_id: int, keys: list[tuple]) -> list[tuple]:
        """Select ("rollups") or delete ("delete") the run's rollups at (key, level, bucket)
        ``keys``: an OR of whole primary keys, which every engine looks up key by key (SQLite
        would scan all the run's rollups for a row-value IN), in statements of at most
        ``PK_BATCH`` keys (PostgreSQL takes 65,535 parameters; a run may log thousands of keys).
        """
        def build(*p):
            where = any_of([
                (HistoryRollup.run == p[i]) & (HistoryRollup.key == p[i + 1])
                & (HistoryRollup.level == p[i + 2]) & (HistoryRollup.bucket == p[i + 3])
                for i in range(0, len(p), 4)])
            return (HistoryRollup.select().where(where) if kind == "rollups"
                    else HistoryRollup.delete().where(where))

        if self.by_arrays:
            return self._by_key_arrays(kind, run_id, keys)
        found: list[tuple] = []
        for start in range(0, len(keys), PK_BATCH):
            batch = keys[start:start + PK_BATCH]
            cursor = self.statements.execute((kind, len(batch)), build,
                                             *(v for t in batch for v in (run_id, *t)))
            if kind == "rollups":
                found.extend(cursor.fetchall())
        return found

    def _by_key_arrays(self, kind: str, run_id: int, keys: list[tuple]) -> list[tuple]:
        """PostgreSQL: the same, in one statement joining the table with the keys given as
        three arrays (``unnest``): an OR of 200 primary keys costs PostgreSQL about 8 times
        as much per key to plan and run, which made a run logging 1,200 keys fold in seconds
        per request."""
        arrays = ([key for key, _, _ in keys], [level for _, level, _ in keys],
                  [bucket for _, _, bucket in keys])
        wanted = ("unnest(%s::integer[], %s::smallint[], %s::bigint[]) AS k(key, level, bucket)")
        match = ("r.run = %s AND r.key = k.key AND r.level = k.level AND r.bucket = k.bucket")
        if kind == "rollups":
            sql = f"SELECT r.* FROM {ROLLUP_TABLE} r, {wanted} WHERE {match}"
        else:
            sql = f"DELETE FROM {ROLLUP_TABLE} r USING {wanted} WHERE {match}"
        cursor = self.statements.db.execute_sql(sql, (*arrays, run_id))
        return cursor.fetchall() if kind == "rollups" else []

    # -- ingest ------------------------------------------------------------------------------
    @staticmethod
    def prepare(first_line: int, columns: dict[str, list], count: int) -> tuple | None:
        """The aggregates of lines first_line ... first_line + count - 1, from their values by
        key (``StreamLines.columns``).

        Pure computation: run it before taking the database's write lock, so the lock is held
        only for the few statements of :meth:`record`.
        """
        if not count:
            return None
        return first_line, count, rollup.chunk_aggregates(first_line, columns, LEVELS)

    @staticmethod
    def columns_of_texts(lines: list[str]) -> dict[str, list]:
        """History lines parsed into values by key (nested keys dotted)."""
        return columns_of([flatten(parse(line)) for line in lines])

    def columns_of_lines(self, run_id: int, start: int, end: int) -> dict[str, list]:
        """Stored lines [start, end) parsed back (to fold lines whose parsed form was lost,
        by a restart)."""
        found = self._read_range(HistoryLine, run_id, start, end)
        return self.columns_of_texts([found[line] for line in sorted(found)])

    def record(self, run_id: int, prepared: tuple | None) -> None:
        """Fold :meth:`prepare`'s aggregates into the run's rollups.

        Call inside a write transaction holding the run's lock, for the lines that follow the
        ones folded already (history is append-only: only the bucket holding the first line,
        at each level, can hold earlier lines).
        """
        if prepared is None:
            return
        first_line, _, aggregates = prepared
        names = {key for key, _ in aggregates[FINEST]}
        if not names:
            return
        key_ids = self._key_ids(run_id, names, create=True)
        # The partial buckets (one per key and level) are read, merged and rewritten.
        partial = [(key_id, level, first_line >> level) for key_id in key_ids.values()
                   for level in LEVELS if first_line & ((1 << level) - 1)]
        by_id = {key_id: name for name, key_id in key_ids.items()}
        if partial:
            merged = []
            for _, key_id, level, bucket, *stored in self._by_primary_keys(
                    "rollups", run_id, partial):
                slot = (by_id[key_id], bucket)
                if slot in aggregates[level]:
                    aggregates[level][slot] = rollup.merge(stored, aggregates[level][slot])
                    merged.append((key_id, level, bucket))
            if merged:
                self._by_primary_keys("delete", run_id, merged)
        self.statements.insert_many(HistoryRollup, ROLLUP_COLUMNS, [
            (run_id, key_ids[name], level, bucket, *agg)
            for level, buckets in aggregates.items() for (name, bucket), agg in buckets.items()])

    def _key_ids(self, run_id: int, names: Iterable[str], create: bool) -> dict[str, int]:
        wanted = {digest(name): name for name in names}
        known = {d: key_id for key_id, d in self.statements.execute(
            "history-keys", lambda run: HistoryKey.select(HistoryKey.id, HistoryKey.digest).where(
                HistoryKey.run == run), run_id).fetchall()}
        missing = [d for d in wanted if d not in known]
        if missing and create:
            HistoryKey.insert_many([(run_id, d, wanted[d]) for d in missing],
                                   fields=[HistoryKey.run, HistoryKey.digest,
                                           HistoryKey.name]).execute()
            known.update({d: key_id for key_id, d in
                          HistoryKey.select(HistoryKey.id, HistoryKey.digest).where(
                              (HistoryKey.run == run_id) & HistoryKey.digest.in_(missing))
                          .tuples()})
        return {name: known[d] for d, name in wanted.items() if d in known}

    def delete_run(self, run_id: int) -> None:
        HistoryRollup.delete().where(HistoryRollup.run == run_id).execute()
        HistoryKey.delete().where(HistoryKey.run == run_id).execute()

    # -- line ranges -------------------------------------------------------------------------
    @staticmethod
    def line_count(model, run_id: int) -> int:
        last = (model.select(model.line).where(model.run == run_id)
                .order_by(model.line.desc()).limit(1).scalar())
        return 0 if last is None else last + 1

    def line_range(self, run_id: int, min_step: int | None,
                   max_step: int | None) -> tuple[int, int]:
        """Lines [start, end) whose steps are in [min_step, max_step): two index seeks."""
        start, end = 0, None
        if min_step is not None:
            start = (HistoryLine.select(HistoryLine.line)
                     .where((HistoryLine.run == run_id) & (HistoryLine.step >= min_step))
                     .order_by(HistoryLine.step, HistoryLine.line).limit(1).scalar())
            if start is None:
                return 0, 0
        if max_step is not None:
            last = (HistoryLine.select(HistoryLine.line)
                    .where((HistoryLine.run == run_id) & (HistoryLine.step < max_step))
                    .order_by(HistoryLine.step.desc(), HistoryLine.line.desc())
                    .limit(1).scalar())
            end = 0 if last is None else last + 1
        else:
            end = self.line_count(HistoryLine, run_id)
        return start, max(start, end)

    def _fetch(self, shape: tuple, build, *args) -> list[tuple]:
        """Rows of a prepared read as plain tuples, without peewee's per-value conversion
        (reads return thousands of rows)."""
        return self.statements.execute(shape, build, *args).fetchall()

    def _read_lines(self, model, run_id: int, lines: Iterable[int]) -> dict[int, str]:
        lines = sorted(set(lines))
        found: dict[int, str] = {}
        for start in range(0, len(lines), FETCH_BATCH):
            batch = lines[start:start + FETCH_BATCH]
            found.update(self._fetch(
                ("lines", model, len(batch)),
                lambda run, *numbers: model.select(model.line, model.data).where(
                    (model.run == run) & model.line.in_(list(numbers))),
                run_id, *batch))
        return found

    def _read_range(self, model, run_id: int, start: int, end: int) -> dict[int, str]:
        return dict(self._fetch(
            ("range", model), lambda run, low, high: model.select(model.line, model.data).where(
                (model.run == run) & (model.line >= low) & (model.line < high))
            .order_by(model.line), run_id, start, end))

    # -- whole lines (history(samples), events(samples), HistoryPage) ------------------------
    def sample_lines(self, run_id: int, stream: str, samples: int, min_step: int | None,
                     max_step: int | None) -> list[str]:
        """Whole lines, at most ``samples`` (0: all) chosen evenly by line; history lines
        limited to minStep <= _step < maxStep."""
        model = EventLine if stream == "events" else HistoryLine
        if stream == "events":
            start, end = 0, self.line_count(EventLine, run_id)
        else:
            start, end = self.line_range(run_id, min_step, max_step)
        if end <= start:
            return []
        if samples <= 0 or end - start <= samples:
            found = self._read_range(model, run_id, start, end)
        else:
            found = self._read_lines(model, run_id, self.even_lines(start, end, samples))
        if stream == "events" or (min_step is None and max_step is None):
            return [found[line] for line in sorted(found)]
        return [data for line, data in sorted(found.items())
                if self._step_in(parse(data).get("_step"), min_step, max_step)]

    @staticmethod
    def even_lines(start: int, end: int, samples: int) -> list[int]:
        if samples <= 1:
            return [end - 1]
        span = end - 1 - start
        return sorted({start + (i * span) // (samples - 1) for i in range(samples)})

    @staticmethod
    def _step_in(step: Any, min_step: int | None, max_step: int | None) -> bool:
        if min_step is None and max_step is None:
            return True
        if isinstance(step, bool) or not isinstance(step, (int, float)):
            return False
        return (min_step is None or step >= min_step) and (max_step is None or step < max_step)

    # -- sampled history of keys -------------------------------------------------------------
    def sample(self, run_id: int, keys: list[str], samples: int, min_step: int | None,
               max_step: int | None) -> list[dict]:
        """Rows holding every key in ``keys``, projected to them, at most ``samples``.

        Steps are in [min_step, max_step). With more matching rows than ``samples``, rows are
        chosen per step bucket by the minimum, maximum and last value of each user key.
        """
        keys = list(dict.fromkeys(keys))
        samples = max(int(samples), 1)
        start, end = self.line_range(run_id, min_step, max_step)
        if end <= start:
            return []
        primary = [k for k in keys if not k.startswith(rollup.SKIP_PREFIX)]
        buckets = max(1, (samples - len(primary)) // (3 * max(1, len(primary))))
        span = end - start
        raw_limit = min(RAW_SAMPLE_LINES, RAW_PER_SAMPLE * samples)
        if span <= RAW_LINES or (primary and span <= raw_limit and span >> FINEST < buckets):
            return self._sample_raw(run_id, keys, primary, start, end, samples, min_step,
                                    max_step)
        if not primary:
            # Keys every row carries (_step, _timestamp, ...): lines chosen evenly do.
            lines = self.even_lines(start, end, samples)
            return self._rows(self._read_lines(HistoryLine, run_id, lines), keys,
                              min_step, max_step)
        key_ids = self._key_ids(run_id, primary, create=False)
        if len(key_ids) < len(primary):
            return []  # a key the run never logged: no row holds them all
        # Up to three rows per bucket and key (min, max, last) and each key's first row.
        level = next((lv for lv in LEVELS
                      if span >> lv <= max(UNITS_PER_BUCKET * buckets, MIN_UNITS)), LEVELS[-1])
        units, raw_rows = self._units(run_id, key_ids, start, end,
                                      tuple(lv for lv in LEVELS if lv <= level))
        if sum(agg[rollup.COUNT] for _, _, agg in units) <= samples:
            return self._all_values(run_id, keys, key_ids, start, end, min_step, max_step)
        groups: dict[tuple[str, int], list] = {}
        for name, unit_start, agg in units:
            slot = (name, (unit_start - start) * buckets // span)
            existing = groups.get(slot)
            groups[slot] = agg if existing is None else rollup.merge(existing, agg)
        chosen: set[int] = set()
        for agg in groups.values():
            chosen.update(rollup.sample_points(agg))
        # ...and where each key starts, so a chart begins at its first value.
        chosen.update(min(agg[rollup.FIRST] for n, _, agg in units if n == name)
                      for name in key_ids)
        lines = sorted(chosen)
        found = {line: raw_rows[line] for line in lines if line in raw_rows}
        found.update(self._read_lines(HistoryLine, run_id, [l for l in lines if l not in found]))
        rows = self._rows(found, keys, min_step, max_step)
        if len(rows) > samples:  # only NaN/Infinity rows go over the budget: drop evenly
            rows = [rows[i] for i in self.even_lines(0, len(rows), samples)]
        # Buckets narrower than the level's units hold one unit or none: no finer than that.
        return SampledRows(rows, min(buckets, -(-span >> level)))

    def _units(self, run_id: int, key_ids: dict[str, int], start: int, end: int,
               levels: tuple[int, ...]) -> tuple[list, dict[int, str]]:
        """Aggregates covering [start, end) for each key: (name, first line, aggregate)."""
        ranges, raw = cover(start, end, levels)
        names = {key_id: name for name, key_id in key_ids.items()}
        units = []
        # One primary-key range scan per key and bucket range.
        build = lambda run, key, level, low, high: HistoryRollup.select().where(  # noqa: E731
            (HistoryRollup.run == run) & (HistoryRollup.key == key)
            & (HistoryRollup.level == level) & (HistoryRollup.bucket >= low)
            & (HistoryRollup.bucket <= high))
        for key_id, name in names.items():
            for level, low, high in ranges:
                for _, _, _, bucket, *agg in self._fetch(("rollups-range",), build,
                                                         run_id, key_id, level, low, high):
                    units.append((name, bucket << level, agg))
        raw_rows: dict[int, str] = {}
        for low, high in raw:
            raw_rows.update(self._read_range(HistoryLine, run_id, low, high))
        for line, data in raw_rows.items():
            row = parse(data)
            for name in key_ids:
                value = dotted_get(row, name, MISSING)
                if value is not MISSING:
                    agg = rollup._slow([value], line)
                    if agg is not None:
                        units.append((name, line, agg))
        return units, raw_rows

    def _all_values(self, run_id: int, keys: list[str], key_ids: dict[str, int], start: int,
                    end: int, min_step: int | None, max_step: int | None) -> list[dict]:
        """Every row holding the keys, when they are few: finest buckets name their lines
        (one or two values), denser buckets are read whole (64 lines at most each)."""
        units, raw_rows = self._units(run_id, key_ids, start, end, (FINEST,))
        lines: set[int] = set(raw_rows)
        found = dict(raw_rows)
        for _, unit_start, agg in units:
            if agg[rollup.COUNT] <= 2:
                lines.update((agg[rollup.FIRST], agg[rollup.LAST]))
            elif unit_start not in raw_rows:
                found.update(self._read_range(HistoryLine, run_id, unit_start,
                                              min(unit_start + (1 << FINEST), end)))
        found.update(self._read_lines(HistoryLine, run_id, [l for l in lines if l not in found]))
        return self._rows(found, keys, min_step, max_step)

    def _sample_raw(self, run_id: int, keys: list[str], primary: list[str], start: int,
                    end: int, samples: int, min_step, max_step) -> list[dict]:
        found = self._read_range(HistoryLine, run_id, start, end)
        rows = self._rows(found, keys, min_step, max_step)
        return rows if len(rows) <= samples else self._thin(rows, samples, primary)

    def _rows(self, found: dict[int, str], keys: list[str],
              min_step: int | None, max_step: int | None) -> list[dict]:
        rows = []
        for line in sorted(found):
            row = parse(found[line])
            if not self._step_in(row.get("_step"), min_step, max_step):
                continue
            values = {}
            for key in keys:
                value = dotted_get(row, key, MISSING)
                if value is MISSING or value is None:
                    break
                values[key] = value
            else:
                rows.append(values)
        return rows

    @staticmethod
    def _thin(rows: list[dict], samples: int, primary: list[str] | None = None) -> list[dict]:
        """At most ``samples`` of in-memory rows, by min/max/last of the first user key."""
        key = (primary or [None])[0]
        if key is None:
            return [rows[i] for i in HistoryEngine.even_lines(0, len(rows), samples)]
        buckets = max(1, (samples - 1) // 3)
        index = rollup.downsample_values(list(range(len(rows))), [r[key] for r in rows], buckets)
        if len(index) > samples:
            index = [index[i] for i in HistoryEngine.even_lines(0, len(index), samples)]
        return SampledRows([rows[i] for i in index], buckets)
