"""AND and OR of many conditions, nested as a balanced tree.

``functools.reduce(operator.or_, conditions)`` nests every OR inside the next one: the SQL it
renders has one parenthesis level per condition, and SQLite's parser gives up after about a
hundred ("parser stack overflow"), as peewee's own recursion does after about a thousand. That
is a run logging 25 keys (its rollup lookups) or a filter of 100 alternatives. Split in halves,
the depth is the logarithm of the count: a thousand conditions nest ten deep.
"""

from __future__ import annotations

import operator
from typing import Any, Callable, Sequence


def _balanced(join: Callable[[Any, Any], Any], conditions: Sequence) -> Any:
    if len(conditions) == 1:
        return conditions[0]
    middle = len(conditions) // 2
    return join(_balanced(join, conditions[:middle]), _balanced(join, conditions[middle:]))


def all_of(conditions: Sequence) -> Any:
    """Every condition (at least one)."""
    return _balanced(operator.and_, conditions)


def any_of(conditions: Sequence) -> Any:
    """Any of the conditions (at least one)."""
    return _balanced(operator.or_, conditions)
