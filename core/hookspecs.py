"""The hook specifications every Roost plugin implements against.

A plugin needs nothing from Roost but the marker name: ``pluggy.HookimplMarker("roost")``.
Hooks are few and coarse: a backend hook returns a provider object that serves a whole
area (as devpi does), rather than one hook per query.
"""

import pluggy

hookspec = pluggy.HookspecMarker("roost")
hookimpl = pluggy.HookimplMarker("roost")


@hookspec
def roost_add_options(options):
    """Declare configuration options a plugin reads.

    ``options`` is a :class:`roost.core.config.OptionRegistry`; call
    ``options.add(name, default=..., help=..., secret=False)``. Every option can then be set as
    ``--name`` on the command line, ``ROOST_NAME`` in the environment, or ``name`` in the config
    file. Return value is ignored.
    """


@hookspec(firstresult=True)
def roost_storage_backend(config):
    """Return the storage provider for this server, or None to let another plugin answer.

    ``config`` is the resolved :class:`roost.core.config.Config`. The provider is a
    :class:`roost.core.storage.Storage`: every method of every area of the contract
    (``roost.core.storage.AREAS``: lifecycle, accounts, runs, ingest, run_files, tenancy,
    artifacts, sweeps, ui), by subclassing it or by having them all. The core checks this
    when it builds the provider and refuses to start, naming this plugin and each missing
    method, when any is absent. The first non-None result wins; the built-in ``sql`` plugin
    answers last.
    """


@hookspec(firstresult=True)
def roost_media_backend(config):
    """Return the MediaStore provider (blob bytes), or None to let another plugin answer.

    The provider implements :class:`roost.core.media.MediaStore`: put/get/delete of blobs by
    key, and signed or presigned URLs that carry their own authorization. The first non-None
    result wins; the built-in ``files`` plugin (local disk) answers last.
    """


@hookspec(firstresult=True)
def roost_authenticate(credentials, storage):
    """Decide who is calling.

    ``credentials`` is a :class:`roost.core.auth.Credentials` (scheme ``"api_key"`` or
    ``"password"``, username, secret, remote address, headers). ``storage`` is the Storage
    provider, for plugins that look users up or create them on first login.

    Return a :class:`roost.core.auth.Principal` to accept, :data:`roost.core.auth.REJECT` to
    refuse outright (no later plugin is asked), or None when this plugin does not know the
    credentials and the next plugin should try. Network-bound plugins (LDAP) should be
    ``trylast`` so local keys are checked first.
    """


@hookspec
def roost_authorize(principal, action, resource):
    """Veto or grant an action the core's own rules are about to decide.

    ``action`` is a string such as ``"run:write"``; ``resource`` describes the target
    (a dict with at least ``entity`` and ``project``). Return True to grant, False to deny, or
    None to leave the decision to the core. Any False denies; otherwise any True grants.
    """


@hookspec
def roost_startup(core):
    """Called once when the core has built its providers, before it serves requests.

    ``core`` is the :class:`roost.core.service.Core`, the composition root: ``config``,
    ``storage``, ``media`` and one service per area (``core.accounts``, ``core.runs``, ...).
    Use it for one-time setup (creating a bucket, scheduling a job). Return value is ignored.
    """


@hookspec
def roost_run_finished(run, exitcode):
    """Called after a run's final file_stream request marked it finished or failed.

    ``run`` is a dict with the run's entity, project, name and state. Return value is ignored.
    """


@hookspec
def roost_front_blueprints(config):
    """Return a Flask blueprint (or a list of them) the front should serve, or None.

    Called in the front process; a blueprint must reach data through the front's core client,
    never by opening storage itself.
    """


@hookspec
def roost_sign_in_methods(config):
    """Describe the ways people sign in to the web pages that this plugin offers.

    Called in the front (for the sign-in page) and in the core (for the console). Return a
    dict, a list of dicts, or None: ``{"id": "oidc", "label": "Sign in with Keycloak",
    "url": "/oidc/login", "replaces_password": False}``. ``url`` is the front path that starts
    the sign-in (a route of the plugin's own blueprint; empty for the password form);
    ``replaces_password`` True hides the password form (the plugin should then also refuse
    password credentials in ``roost_authenticate``).
    """
