"""Contains all the data models used in inputs/outputs"""

from .api_root import ApiRoot
from .build import Build
from .build_status import BuildStatus
from .build_trigger import BuildTrigger
from .build_trigger_data import BuildTriggerData
from .build_trigger_type import BuildTriggerType
from .error import Error
from .namespace import Namespace
from .namespace_visibility import NamespaceVisibility
from .object_ import Object
from .objects_store_files_body import ObjectsStoreFilesBody
from .user import User
from .validation_errors import ValidationErrors

__all__ = (
    "ApiRoot",
    "Build",
    "BuildStatus",
    "BuildTrigger",
    "BuildTriggerData",
    "BuildTriggerType",
    "Error",
    "Namespace",
    "NamespaceVisibility",
    "Object",
    "ObjectsStoreFilesBody",
    "User",
    "ValidationErrors",
)
