"""Account reads through the core: a user sees their own account, an admin anyone's."""

import pytest

from roost.core.auth import Credentials
from roost.core.cli import option_registry
from roost.core.config import load_config
from roost.core.errors import PermissionDenied
from roost.core.pluginmanager import make_plugin_manager
from roost.core.service import Core


@pytest.fixture
def core(tmp_path):
    pm = make_plugin_manager(load_entrypoints=False)
    instance = Core(load_config(option_registry(pm), {"data_dir": str(tmp_path)}, env={}), pm)
    yield instance
    instance.close()


def principal(core, username, admin=False):
    core.accounts.create_user(None, username, f"{username}@example.org", "", admin)
    _, key = core.accounts.create_api_key(None, username)
    return core.accounts.authenticate(Credentials("api_key", "", key))


def test_read_user_is_for_the_user_and_admins(core):
    alice, bob = principal(core, "alice"), principal(core, "bob")
    root = principal(core, "root", admin=True)
    assert core.accounts.read_user(alice, "alice")["email"] == "alice@example.org"
    assert core.accounts.read_user(root, "alice")["email"] == "alice@example.org"
    with pytest.raises(PermissionDenied):
        core.accounts.read_user(bob, "alice")
