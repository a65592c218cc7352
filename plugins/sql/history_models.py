"""Tables of the history engine: per-key rollups that make sampled reads cheap.

History lines stay whole in ``history_line`` (what the client logged, verbatim). Beside them,
each numeric or other value of a user key is folded at ingest into rollup buckets of
consecutive *line numbers* at a few widths. Line numbers are dense (0..n-1) whatever the
step spacing, and wandb steps only grow, so a line range is a step range. A bucket keeps the
count, the first and last line holding the key, the lines of its minimum and maximum
(finite numbers) and of its first NaN/Infinity, so a downsampled read can pick rows that keep
spikes without reading every line.
"""

from __future__ import annotations

from peewee import (BigIntegerField, CharField, CompositeKey, DoubleField, IntegerField,
                    SmallIntegerField, TextField)

from roost.plugins.sql.models import BaseModel

# Bucket widths, as shifts of the line number: 64, 512, 4096 and 32768 lines.
LEVELS = (6, 9, 12, 15)
FINEST = LEVELS[0]


class HistoryKey(BaseModel):
    """A history key of one run. Keys are addressed by the md5 of their name, so a key of
    any length fits a unique index on every engine."""

    run = IntegerField()
    digest = CharField(max_length=32)
    name = TextField()

    class Meta:
        indexes = ((("run", "digest"), True),)


class HistoryRollup(BaseModel):
    run = IntegerField()
    key = IntegerField()
    level = SmallIntegerField()
    bucket = BigIntegerField()
    count = IntegerField()
    first_line = BigIntegerField()
    last_line = BigIntegerField()
    min_value = DoubleField(null=True)
    min_line = BigIntegerField(null=True)
    max_value = DoubleField(null=True)
    max_line = BigIntegerField(null=True)
    odd_line = BigIntegerField(null=True)

    class Meta:
        primary_key = CompositeKey("run", "key", "level", "bucket")
        without_rowid = True


HISTORY_MODELS = [HistoryKey, HistoryRollup]
