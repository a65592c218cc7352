from roost.protos import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ArtifactRef(_message.Message):
    __slots__ = ("principal", "id", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., base_url: _Optional[str] = ...) -> None: ...

class Alias(_message.Message):
    __slots__ = ("id", "alias", "collection_id", "collection_name", "collection_kind", "entity", "project", "project_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_NAME_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_KIND_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    alias: str
    collection_id: str
    collection_name: str
    collection_kind: str
    entity: str
    project: str
    project_id: str
    def __init__(self, id: _Optional[str] = ..., alias: _Optional[str] = ..., collection_id: _Optional[str] = ..., collection_name: _Optional[str] = ..., collection_kind: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class RunInfo(_message.Message):
    __slots__ = ("id", "entity", "project", "project_id", "name")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    project_id: str
    name: str
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Artifact(_message.Message):
    __slots__ = ("id", "entity", "project", "project_id", "type", "collection_id", "collection", "version_index", "state", "digest", "description", "metadata", "ttl_duration_seconds", "ttl_is_inherited", "history_step", "size", "file_count", "created_at", "updated_at", "aliases", "tags", "created_by", "latest_artifact_id", "commit_hash", "manifest_url")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_INDEX_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TTL_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TTL_IS_INHERITED_FIELD_NUMBER: _ClassVar[int]
    HISTORY_STEP_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    FILE_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    LATEST_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    COMMIT_HASH_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_URL_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    project_id: str
    type: str
    collection_id: str
    collection: str
    version_index: int
    state: str
    digest: str
    description: str
    metadata: str
    ttl_duration_seconds: int
    ttl_is_inherited: bool
    history_step: int
    size: int
    file_count: int
    created_at: float
    updated_at: float
    aliases: _containers.RepeatedCompositeFieldContainer[Alias]
    tags: _containers.RepeatedScalarFieldContainer[str]
    created_by: RunInfo
    latest_artifact_id: str
    commit_hash: str
    manifest_url: str
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ..., type: _Optional[str] = ..., collection_id: _Optional[str] = ..., collection: _Optional[str] = ..., version_index: _Optional[int] = ..., state: _Optional[str] = ..., digest: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[str] = ..., ttl_duration_seconds: _Optional[int] = ..., ttl_is_inherited: _Optional[bool] = ..., history_step: _Optional[int] = ..., size: _Optional[int] = ..., file_count: _Optional[int] = ..., created_at: _Optional[float] = ..., updated_at: _Optional[float] = ..., aliases: _Optional[_Iterable[_Union[Alias, _Mapping]]] = ..., tags: _Optional[_Iterable[str]] = ..., created_by: _Optional[_Union[RunInfo, _Mapping]] = ..., latest_artifact_id: _Optional[str] = ..., commit_hash: _Optional[str] = ..., manifest_url: _Optional[str] = ...) -> None: ...

class CreatedArtifact(_message.Message):
    __slots__ = ("artifact", "created")
    ARTIFACT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    artifact: Artifact
    created: bool
    def __init__(self, artifact: _Optional[_Union[Artifact, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class AliasInput(_message.Message):
    __slots__ = ("alias", "collection", "entity", "project")
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    alias: str
    collection: str
    entity: str
    project: str
    def __init__(self, alias: _Optional[str] = ..., collection: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class CreateArtifactRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "type", "collection", "run", "digest", "description", "metadata", "aliases", "tags", "ttl_duration_seconds", "history_step", "enable_dedup", "distributed_id", "client_id", "sequence_client_id")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TTL_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_STEP_FIELD_NUMBER: _ClassVar[int]
    ENABLE_DEDUP_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTED_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    type: str
    collection: str
    run: str
    digest: str
    description: str
    metadata: str
    aliases: _containers.RepeatedCompositeFieldContainer[AliasInput]
    tags: _containers.RepeatedScalarFieldContainer[str]
    ttl_duration_seconds: int
    history_step: int
    enable_dedup: bool
    distributed_id: str
    client_id: str
    sequence_client_id: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., type: _Optional[str] = ..., collection: _Optional[str] = ..., run: _Optional[str] = ..., digest: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[str] = ..., aliases: _Optional[_Iterable[_Union[AliasInput, _Mapping]]] = ..., tags: _Optional[_Iterable[str]] = ..., ttl_duration_seconds: _Optional[int] = ..., history_step: _Optional[int] = ..., enable_dedup: _Optional[bool] = ..., distributed_id: _Optional[str] = ..., client_id: _Optional[str] = ..., sequence_client_id: _Optional[str] = ...) -> None: ...

class PrepareManifestRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "manifest_id", "name", "type", "digest", "base_artifact_id", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    BASE_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    manifest_id: str
    name: str
    type: str
    digest: str
    base_artifact_id: str
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., manifest_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., digest: _Optional[str] = ..., base_artifact_id: _Optional[str] = ..., base_url: _Optional[str] = ...) -> None: ...

class ManifestUpload(_message.Message):
    __slots__ = ("id", "file_id", "upload_url", "upload_headers")
    ID_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_HEADERS_FIELD_NUMBER: _ClassVar[int]
    id: str
    file_id: str
    upload_url: str
    upload_headers: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., file_id: _Optional[str] = ..., upload_url: _Optional[str] = ..., upload_headers: _Optional[_Iterable[str]] = ...) -> None: ...

class UploadPart(_message.Message):
    __slots__ = ("part_number", "hex_md5")
    PART_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HEX_MD5_FIELD_NUMBER: _ClassVar[int]
    part_number: int
    hex_md5: str
    def __init__(self, part_number: _Optional[int] = ..., hex_md5: _Optional[str] = ...) -> None: ...

class FileSpec(_message.Message):
    __slots__ = ("artifact_id", "manifest_id", "name", "md5", "mimetype", "parts")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MD5_FIELD_NUMBER: _ClassVar[int]
    MIMETYPE_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    manifest_id: str
    name: str
    md5: str
    mimetype: str
    parts: _containers.RepeatedCompositeFieldContainer[UploadPart]
    def __init__(self, artifact_id: _Optional[str] = ..., manifest_id: _Optional[str] = ..., name: _Optional[str] = ..., md5: _Optional[str] = ..., mimetype: _Optional[str] = ..., parts: _Optional[_Iterable[_Union[UploadPart, _Mapping]]] = ...) -> None: ...

class PrepareFilesRequest(_message.Message):
    __slots__ = ("principal", "files", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    files: _containers.RepeatedCompositeFieldContainer[FileSpec]
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., files: _Optional[_Iterable[_Union[FileSpec, _Mapping]]] = ..., base_url: _Optional[str] = ...) -> None: ...

class PartUrl(_message.Message):
    __slots__ = ("part_number", "upload_url")
    PART_NUMBER_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    part_number: int
    upload_url: str
    def __init__(self, part_number: _Optional[int] = ..., upload_url: _Optional[str] = ...) -> None: ...

class FileUpload(_message.Message):
    __slots__ = ("storage_path", "upload_url", "upload_headers", "birth_artifact_id", "upload_id", "parts")
    STORAGE_PATH_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_HEADERS_FIELD_NUMBER: _ClassVar[int]
    BIRTH_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    storage_path: str
    upload_url: str
    upload_headers: _containers.RepeatedScalarFieldContainer[str]
    birth_artifact_id: str
    upload_id: str
    parts: _containers.RepeatedCompositeFieldContainer[PartUrl]
    def __init__(self, storage_path: _Optional[str] = ..., upload_url: _Optional[str] = ..., upload_headers: _Optional[_Iterable[str]] = ..., birth_artifact_id: _Optional[str] = ..., upload_id: _Optional[str] = ..., parts: _Optional[_Iterable[_Union[PartUrl, _Mapping]]] = ...) -> None: ...

class FileUploads(_message.Message):
    __slots__ = ("files",)
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[FileUpload]
    def __init__(self, files: _Optional[_Iterable[_Union[FileUpload, _Mapping]]] = ...) -> None: ...

class CompleteMultipartRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "storage_path", "upload_id", "parts")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    STORAGE_PATH_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    storage_path: str
    upload_id: str
    parts: _containers.RepeatedCompositeFieldContainer[UploadPart]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., storage_path: _Optional[str] = ..., upload_id: _Optional[str] = ..., parts: _Optional[_Iterable[_Union[UploadPart, _Mapping]]] = ...) -> None: ...

class CompleteMultipartReply(_message.Message):
    __slots__ = ("digest",)
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    digest: str
    def __init__(self, digest: _Optional[str] = ...) -> None: ...

class UseArtifactRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "run", "artifact_id", "used_as")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    USED_AS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    run: str
    artifact_id: str
    used_as: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., run: _Optional[str] = ..., artifact_id: _Optional[str] = ..., used_as: _Optional[str] = ...) -> None: ...

class Collection(_message.Message):
    __slots__ = ("id", "kind", "entity", "project", "project_id", "name", "type", "description", "created_at", "updated_at", "tags", "state", "latest_artifact_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LATEST_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    entity: str
    project: str
    project_id: str
    name: str
    type: str
    description: str
    created_at: float
    updated_at: float
    tags: _containers.RepeatedScalarFieldContainer[str]
    state: str
    latest_artifact_id: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[float] = ..., updated_at: _Optional[float] = ..., tags: _Optional[_Iterable[str]] = ..., state: _Optional[str] = ..., latest_artifact_id: _Optional[str] = ...) -> None: ...

class Membership(_message.Message):
    __slots__ = ("id", "collection", "artifact", "version_index", "created_at", "aliases")
    ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_FIELD_NUMBER: _ClassVar[int]
    VERSION_INDEX_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    id: str
    collection: Collection
    artifact: Artifact
    version_index: int
    created_at: float
    aliases: _containers.RepeatedCompositeFieldContainer[Alias]
    def __init__(self, id: _Optional[str] = ..., collection: _Optional[_Union[Collection, _Mapping]] = ..., artifact: _Optional[_Union[Artifact, _Mapping]] = ..., version_index: _Optional[int] = ..., created_at: _Optional[float] = ..., aliases: _Optional[_Iterable[_Union[Alias, _Mapping]]] = ...) -> None: ...

class MembershipList(_message.Message):
    __slots__ = ("memberships",)
    MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    memberships: _containers.RepeatedCompositeFieldContainer[Membership]
    def __init__(self, memberships: _Optional[_Iterable[_Union[Membership, _Mapping]]] = ...) -> None: ...

class MembershipRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "name", "collection", "alias", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    name: str
    collection: str
    alias: str
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ..., collection: _Optional[str] = ..., alias: _Optional[str] = ..., base_url: _Optional[str] = ...) -> None: ...

class ListArtifactsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "collection", "type", "run", "direction", "after", "first", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    collection: str
    type: str
    run: str
    direction: str
    after: str
    first: int
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., collection: _Optional[str] = ..., type: _Optional[str] = ..., run: _Optional[str] = ..., direction: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ..., base_url: _Optional[str] = ...) -> None: ...

class ArtifactList(_message.Message):
    __slots__ = ("artifacts", "version_indexes", "has_next_page", "total", "end_cursor")
    ARTIFACTS_FIELD_NUMBER: _ClassVar[int]
    VERSION_INDEXES_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    END_CURSOR_FIELD_NUMBER: _ClassVar[int]
    artifacts: _containers.RepeatedCompositeFieldContainer[Artifact]
    version_indexes: _containers.RepeatedScalarFieldContainer[int]
    has_next_page: bool
    total: int
    end_cursor: str
    def __init__(self, artifacts: _Optional[_Iterable[_Union[Artifact, _Mapping]]] = ..., version_indexes: _Optional[_Iterable[int]] = ..., has_next_page: _Optional[bool] = ..., total: _Optional[int] = ..., end_cursor: _Optional[str] = ...) -> None: ...

class ListArtifactFilesRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "names", "after", "first", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    names: _containers.RepeatedScalarFieldContainer[str]
    after: str
    first: int
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ..., after: _Optional[str] = ..., first: _Optional[int] = ..., base_url: _Optional[str] = ...) -> None: ...

class ArtifactFile(_message.Message):
    __slots__ = ("id", "name", "digest", "size", "ref", "birth_artifact_id", "direct_url", "storage_path", "mimetype", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    REF_FIELD_NUMBER: _ClassVar[int]
    BIRTH_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    DIRECT_URL_FIELD_NUMBER: _ClassVar[int]
    STORAGE_PATH_FIELD_NUMBER: _ClassVar[int]
    MIMETYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    digest: str
    size: int
    ref: str
    birth_artifact_id: str
    direct_url: str
    storage_path: str
    mimetype: str
    updated_at: float
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., digest: _Optional[str] = ..., size: _Optional[int] = ..., ref: _Optional[str] = ..., birth_artifact_id: _Optional[str] = ..., direct_url: _Optional[str] = ..., storage_path: _Optional[str] = ..., mimetype: _Optional[str] = ..., updated_at: _Optional[float] = ...) -> None: ...

class ArtifactFileList(_message.Message):
    __slots__ = ("files", "has_next_page", "total", "end_cursor")
    FILES_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    END_CURSOR_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[ArtifactFile]
    has_next_page: bool
    total: int
    end_cursor: str
    def __init__(self, files: _Optional[_Iterable[_Union[ArtifactFile, _Mapping]]] = ..., has_next_page: _Optional[bool] = ..., total: _Optional[int] = ..., end_cursor: _Optional[str] = ...) -> None: ...

class CollectionRequest(_message.Message):
    __slots__ = ("principal", "id", "entity", "project", "name", "type")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    entity: str
    project: str
    name: str
    type: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ...) -> None: ...

class ListCollectionsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "type", "after", "first")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    type: str
    after: str
    first: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., type: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ...) -> None: ...

class CollectionList(_message.Message):
    __slots__ = ("collections", "has_next_page", "total", "end_cursor")
    COLLECTIONS_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    END_CURSOR_FIELD_NUMBER: _ClassVar[int]
    collections: _containers.RepeatedCompositeFieldContainer[Collection]
    has_next_page: bool
    total: int
    end_cursor: str
    def __init__(self, collections: _Optional[_Iterable[_Union[Collection, _Mapping]]] = ..., has_next_page: _Optional[bool] = ..., total: _Optional[int] = ..., end_cursor: _Optional[str] = ...) -> None: ...

class ListTypesRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "name")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    name: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class ArtifactType(_message.Message):
    __slots__ = ("id", "name", "description", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    created_at: float
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[float] = ...) -> None: ...

class ArtifactTypeList(_message.Message):
    __slots__ = ("types",)
    TYPES_FIELD_NUMBER: _ClassVar[int]
    types: _containers.RepeatedCompositeFieldContainer[ArtifactType]
    def __init__(self, types: _Optional[_Iterable[_Union[ArtifactType, _Mapping]]] = ...) -> None: ...

class RunRefList(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[RunInfo]
    def __init__(self, runs: _Optional[_Iterable[_Union[RunInfo, _Mapping]]] = ...) -> None: ...

class ClientIdRequest(_message.Message):
    __slots__ = ("principal", "client_id")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    client_id: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., client_id: _Optional[str] = ...) -> None: ...

class ClientIdReply(_message.Message):
    __slots__ = ("server_id", "found")
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    found: bool
    def __init__(self, server_id: _Optional[str] = ..., found: _Optional[bool] = ...) -> None: ...

class UpdateArtifactRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "description", "metadata", "ttl_duration_seconds", "replace_aliases", "aliases", "tags_to_add", "tags_to_delete")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TTL_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REPLACE_ALIASES_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    TAGS_TO_ADD_FIELD_NUMBER: _ClassVar[int]
    TAGS_TO_DELETE_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    description: str
    metadata: str
    ttl_duration_seconds: int
    replace_aliases: bool
    aliases: _containers.RepeatedCompositeFieldContainer[AliasInput]
    tags_to_add: _containers.RepeatedScalarFieldContainer[str]
    tags_to_delete: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[str] = ..., ttl_duration_seconds: _Optional[int] = ..., replace_aliases: _Optional[bool] = ..., aliases: _Optional[_Iterable[_Union[AliasInput, _Mapping]]] = ..., tags_to_add: _Optional[_Iterable[str]] = ..., tags_to_delete: _Optional[_Iterable[str]] = ...) -> None: ...

class EditAliasesRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "add", "remove")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    ADD_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    add: _containers.RepeatedCompositeFieldContainer[AliasInput]
    remove: _containers.RepeatedCompositeFieldContainer[AliasInput]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., add: _Optional[_Iterable[_Union[AliasInput, _Mapping]]] = ..., remove: _Optional[_Iterable[_Union[AliasInput, _Mapping]]] = ...) -> None: ...

class DeleteArtifactRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "delete_aliases")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    DELETE_ALIASES_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    delete_aliases: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., delete_aliases: _Optional[bool] = ...) -> None: ...

class LinkArtifactRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "client_id", "entity", "project", "portfolio", "portfolio_id", "aliases")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PORTFOLIO_FIELD_NUMBER: _ClassVar[int]
    PORTFOLIO_ID_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    client_id: str
    entity: str
    project: str
    portfolio: str
    portfolio_id: str
    aliases: _containers.RepeatedCompositeFieldContainer[AliasInput]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., client_id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., portfolio: _Optional[str] = ..., portfolio_id: _Optional[str] = ..., aliases: _Optional[_Iterable[_Union[AliasInput, _Mapping]]] = ...) -> None: ...

class UnlinkArtifactRequest(_message.Message):
    __slots__ = ("principal", "artifact_id", "portfolio_id")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    PORTFOLIO_ID_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    artifact_id: str
    portfolio_id: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., artifact_id: _Optional[str] = ..., portfolio_id: _Optional[str] = ...) -> None: ...

class UpdateCollectionRequest(_message.Message):
    __slots__ = ("principal", "id", "name", "description", "type", "tags_to_add", "tags_to_delete")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TAGS_TO_ADD_FIELD_NUMBER: _ClassVar[int]
    TAGS_TO_DELETE_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    name: str
    description: str
    type: str
    tags_to_add: _containers.RepeatedScalarFieldContainer[str]
    tags_to_delete: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., type: _Optional[str] = ..., tags_to_add: _Optional[_Iterable[str]] = ..., tags_to_delete: _Optional[_Iterable[str]] = ...) -> None: ...

class ResolveDownloadRequest(_message.Message):
    __slots__ = ("principal", "entity", "md5_hex", "project", "collection", "artifact_id", "birth_artifact_id", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    MD5_HEX_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    BIRTH_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    md5_hex: str
    project: str
    collection: str
    artifact_id: str
    birth_artifact_id: str
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., md5_hex: _Optional[str] = ..., project: _Optional[str] = ..., collection: _Optional[str] = ..., artifact_id: _Optional[str] = ..., birth_artifact_id: _Optional[str] = ..., base_url: _Optional[str] = ...) -> None: ...

class DownloadUrl(_message.Message):
    __slots__ = ("url",)
    URL_FIELD_NUMBER: _ClassVar[int]
    url: str
    def __init__(self, url: _Optional[str] = ...) -> None: ...

class GarbageRequest(_message.Message):
    __slots__ = ("principal", "dry_run")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    dry_run: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class GarbageReply(_message.Message):
    __slots__ = ("blobs_deleted", "bytes_freed", "artifacts_expired")
    BLOBS_DELETED_FIELD_NUMBER: _ClassVar[int]
    BYTES_FREED_FIELD_NUMBER: _ClassVar[int]
    ARTIFACTS_EXPIRED_FIELD_NUMBER: _ClassVar[int]
    blobs_deleted: int
    bytes_freed: int
    artifacts_expired: int
    def __init__(self, blobs_deleted: _Optional[int] = ..., bytes_freed: _Optional[int] = ..., artifacts_expired: _Optional[int] = ...) -> None: ...
