"""SCIM 2.0 (RFC 7643/7644) provisioning: identity providers create, update and deactivate
users and manage team membership through ``/scim/v2/Users`` and ``/scim/v2/Groups``.
The front forwards each request (IdentityService.Scim); ``service.Scim`` answers it."""
