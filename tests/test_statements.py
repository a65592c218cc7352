"""Prepared templates (plugins/sql/statements.py) on SQLite, PostgreSQL and MySQL/MariaDB: they
return what the same peewee query returns, bind arguments wherever the SQL puts them, and
multi-row inserts store every row of any count exactly once."""

from __future__ import annotations

import peewee
import pytest

from roost.plugins.sql.models import HistoryLine, Run
from roost.plugins.sql.statements import MAX_PARAMETERS, Param, Template
from roost.plugins.sql.store import SqlStorage
from storage_fixtures import backend_params, clear_tables, temporary_database


@pytest.fixture(scope="module", params=backend_params())
def store(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        storage = SqlStorage(url)
        try:
            yield storage
        finally:
            storage.close()


@pytest.fixture
def run_id(store):
    clear_tables(store)
    user = store.create_user("alice", "", None, admin=False)
    run, _ = store.upsert_run("alice", "proj", "r1", None, {}, user["id"])
    return int(run["id"])


def stored_lines(store, run_id: int) -> list[tuple]:
    with store.db.connection_context():
        return list(HistoryLine.select(HistoryLine.line, HistoryLine.step, HistoryLine.data)
                    .where(HistoryLine.run == run_id).order_by(HistoryLine.line).tuples())


@pytest.mark.parametrize("count", [0, 1, 7, MAX_PARAMETERS // 4, MAX_PARAMETERS // 4 + 1, 1000])
def test_insert_many_stores_every_row_once(store, run_id, count):
    rows = [(run_id, line, line * 10, f'{{"_step": {line * 10}}}') for line in range(count)]
    with store.db.connection_context():
        store.statements.insert_many(HistoryLine, ("run", "line", "step", "data"), rows)
    assert stored_lines(store, run_id) == [row[1:] for row in rows]


def test_insert_many_with_columns_in_another_order(store, run_id):
    rows = [('{"a": 1}', 5, run_id, 0), ('{"a": 2}', 6, run_id, 1)]
    with store.db.connection_context():
        store.statements.insert_many(HistoryLine, ("data", "step", "run", "line"), rows)
    assert stored_lines(store, run_id) == [(0, 5, '{"a": 1}'), (1, 6, '{"a": 2}')]


def test_a_template_returns_what_peewee_returns(store, run_id):
    with store.db.connection_context():
        expected = store.runs._run_query().where(Run.id == run_id).first()
        found = store.statements.first("test-run", lambda rid: store.runs._run_query().where(
            Run.id == rid).limit(1), run_id)
        assert found.project.entity.name == expected.project.entity.name == "alice"
        assert found.__data__ == expected.__data__
        assert store.statements.first("test-run", None, run_id + 999) is None  # built once


def test_arguments_are_bound_where_the_sql_puts_them(store, run_id):
    # The second argument appears first in the SQL, and the template holds a constant (LIMIT).
    with store.db.connection_context():
        store.statements.insert_many(HistoryLine, ("run", "line", "step", "data"),
                                     [(run_id, n, n, "{}") for n in range(10)])
        found = store.statements.rows(
            "test-order", lambda low, rid: HistoryLine.select(HistoryLine.line).where(
                (HistoryLine.run == rid) & (HistoryLine.line >= low))
            .order_by(HistoryLine.line).limit(3).tuples(), 4, run_id)
    assert found == [(4,), (5,), (6,)]


def test_a_placeholder_used_twice_or_never_is_refused():
    placeholder = peewee.Value(Param(0), converter=False)
    twice = HistoryLine.select().where((HistoryLine.run == placeholder)
                                       & (HistoryLine.line == placeholder))
    with pytest.raises(ValueError, match="exactly once"):
        Template(twice, 1)
    with pytest.raises(ValueError, match="exactly once"):
        Template(HistoryLine.select(), 1)
