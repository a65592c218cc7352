"""The storage contract's ``views`` area (roost.core.views.storage) on SQLite, PostgreSQL and
MariaDB: specs kept byte for byte up to the 10 MiB limit, authors, lists (order, search, pages,
personal views), drafts, and the view-only link records. Part of the contract suite:
test_storage_contract.py checks every contract method has a test."""

from __future__ import annotations

import json

import pytest

from roost.core.errors import AlreadyExists, InvalidArgument, NotFound
from test_storage_contract import on_every_engine


def view_fields(name: str, spec: str = '{"a": 1}', **extra) -> dict:
    return {"type": "runs", "name": name, "display_name": name.title(), "description": "",
            "spec": spec, "owner_id": "", "parent_id": ""} | extra


class ViewContract:
    @pytest.fixture
    def users(self, storage):
        return [storage.create_user(name, "", None, admin=False) for name in ("ann", "bob")]

    def test_a_spec_is_kept_byte_for_byte_up_to_ten_mib(self, storage, users):
        project, inserted = storage.ensure_project("ann", "p", "about p")
        assert inserted and project["description"] == "about p"
        assert storage.ensure_project("ann", "p", None)[1] is False
        spec = json.dumps({"blocks": [{"type": "future-block", "text": "é ✓ \u2028 <script>"}],
                           "pad": "x" * (10 * 1024 * 1024 - 200)}, ensure_ascii=False)
        view = storage.create_view("ann", "p", view_fields("r1", spec), users[0]["id"])
        assert storage.get_view(view["id"])["spec"] == spec
        assert view["authors"] == ["ann"] and view["username"] == "ann"
        with pytest.raises(AlreadyExists):
            storage.create_view("ann", "p", view_fields("r1"), users[0]["id"])
        with pytest.raises(NotFound):
            storage.create_view("ann", "missing", view_fields("r2"), users[0]["id"])
        with pytest.raises(InvalidArgument):
            storage.create_view("ann", "p", view_fields("n" * 129), users[0]["id"])
        changed = storage.update_view(view["id"], {"spec": '{"b": 2}', "display_name": "R"}, "bob")
        assert changed["spec"] == '{"b": 2}' and changed["authors"] == ["ann", "bob"]
        personal = storage.update_view(view["id"], {"owner_id": users[1]["id"]}, "bob")
        assert personal["owner_id"] == users[1]["id"]
        assert storage.update_view(view["id"], {"owner_id": "", "type": "runs"},
                                   "bob")["owner_id"] == ""
        with pytest.raises(NotFound):
            storage.update_view("999999", {"spec": "{}"}, "bob")
        assert storage.get_view("nonsense") is None and storage.get_view("999999") is None


    def test_lists_are_newest_first_searchable_paged_and_hide_others_personal_views(
            self, storage, users):
        storage.ensure_project("ann", "p", None)
        ann, bob = users
        for i in range(5):
            storage.create_view("ann", "p", view_fields(f"r{i}", description=f"about {i}"),
                                ann["id"])
        storage.create_view("ann", "p", view_fields("mine", type="project-view",
                                                    owner_id=ann["id"]), ann["id"])
        page, more = storage.list_views("ann", "p", {"type": "runs", "first": 2,
                                                     "viewer_id": ann["id"]})
        assert [v["name"] for v in page] == ["r4", "r3"] and more and page[0]["spec"] == ""
        page, more = storage.list_views("ann", "p", {"type": "runs", "first": 10,
                                                     "after": page[-1]["id"], "with_spec": True})
        assert [v["name"] for v in page] == ["r2", "r1", "r0"] and not more
        assert page[0]["spec"] == '{"a": 1}'
        found, _ = storage.list_views("ann", "p", {"search": "ABOUT 3", "first": 10})
        assert [v["name"] for v in found] == ["r3"]
        assert [v["name"] for v in storage.list_views("ann", "p", {"type": "project-view",
                                                                    "viewer_id": ann["id"]})[0]
                ] == ["mine"]
        assert storage.list_views("ann", "p", {"type": "project-view",
                                               "viewer_id": bob["id"]})[0] == []


    def test_drafts_go_with_their_report_or_stay_when_asked(self, storage, users):
        storage.ensure_project("ann", "p", None)
        report = storage.create_view("ann", "p", view_fields("rep"), users[0]["id"])
        for name in ("d1", "d2"):
            storage.create_view("ann", "p", view_fields(name, type="runs/draft",
                                                         parent_id=report["id"]), users[0]["id"])
        other = storage.create_view("ann", "p", view_fields("rep2"), users[0]["id"])
        storage.create_view("ann", "p", view_fields("d3", type="runs/draft",
                                                    parent_id=other["id"]), users[0]["id"])
        assert storage.delete_view(report["id"], delete_drafts=True) == 0
        assert storage.find_view("ann", "p", "d1") is None
        assert storage.delete_view(other["id"], delete_drafts=False) == 1
        assert storage.find_view("ann", "p", "d3")["parent_id"] == ""
        with pytest.raises(NotFound):
            storage.delete_view(other["id"], delete_drafts=False)


    def test_access_token_records(self, storage, users):
        storage.ensure_project("ann", "p", None)
        report = storage.create_view("ann", "p", view_fields("rep"), users[0]["id"])
        token = storage.create_view_token(report["id"], "nonce", "h" * 64, [["ann", "p"]],
                                          users[0]["id"])
        assert storage.find_view_token("h" * 64) == token and token["revoked_at"] == 0.0
        assert storage.get_view_token(token["id"]) == token
        revoked = storage.update_view_token(token["id"], {"revoked_at": 5.0,
                                                          "projects": [["ann", "q"]]})
        assert revoked["revoked_at"] == 5.0 and revoked["projects"] == [["ann", "q"]]
        assert storage.list_view_tokens(report["id"]) == [revoked]
        storage.delete_view(report["id"], delete_drafts=True)
        assert storage.find_view_token("h" * 64) is None


TestSqliteViews, TestPostgresViews, TestMysqlViews = on_every_engine(ViewContract)
