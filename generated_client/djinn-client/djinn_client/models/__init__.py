"""Contains all the data models used in inputs/outputs"""

from .api_root import ApiRoot
from .build import Build
from .build_artifact import BuildArtifact
from .build_create import BuildCreate
from .build_job import BuildJob
from .build_key import BuildKey
from .build_status import BuildStatus
from .build_tag import BuildTag
from .build_trigger import BuildTrigger
from .build_trigger_data import BuildTriggerData
from .build_trigger_type import BuildTriggerType
from .build_variable import BuildVariable
from .collaborator import Collaborator
from .cron import Cron
from .cron_create import CronCreate
from .cron_schedule import CronSchedule
from .cron_update import CronUpdate
from .error import Error
from .image import Image
from .image_create import ImageCreate
from .image_download import ImageDownload
from .image_driver import ImageDriver
from .images_store_files_body import ImagesStoreFilesBody
from .invite import Invite
from .invite_accepted import InviteAccepted
from .invite_create import InviteCreate
from .job_status import JobStatus
from .key import Key
from .key_create import KeyCreate
from .key_update import KeyUpdate
from .namespace import Namespace
from .namespace_create import NamespaceCreate
from .namespace_create_visibility import NamespaceCreateVisibility
from .namespace_detail import NamespaceDetail
from .namespace_update import NamespaceUpdate
from .namespace_update_visibility import NamespaceUpdateVisibility
from .namespace_visibility import NamespaceVisibility
from .object_ import Object
from .objects_store_files_body import ObjectsStoreFilesBody
from .user import User
from .validation_errors import ValidationErrors
from .variable import Variable
from .variable_create import VariableCreate
from .webhook import Webhook
from .webhook_create import WebhookCreate
from .webhook_delivery import WebhookDelivery
from .webhook_event import WebhookEvent
from .webhook_update import WebhookUpdate

__all__ = (
    "ApiRoot",
    "Build",
    "BuildArtifact",
    "BuildCreate",
    "BuildJob",
    "BuildKey",
    "BuildStatus",
    "BuildTag",
    "BuildTrigger",
    "BuildTriggerData",
    "BuildTriggerType",
    "BuildVariable",
    "Collaborator",
    "Cron",
    "CronCreate",
    "CronSchedule",
    "CronUpdate",
    "Error",
    "Image",
    "ImageCreate",
    "ImageDownload",
    "ImageDriver",
    "ImagesStoreFilesBody",
    "Invite",
    "InviteAccepted",
    "InviteCreate",
    "JobStatus",
    "Key",
    "KeyCreate",
    "KeyUpdate",
    "Namespace",
    "NamespaceCreate",
    "NamespaceCreateVisibility",
    "NamespaceDetail",
    "NamespaceUpdate",
    "NamespaceUpdateVisibility",
    "NamespaceVisibility",
    "Object",
    "ObjectsStoreFilesBody",
    "User",
    "ValidationErrors",
    "Variable",
    "VariableCreate",
    "Webhook",
    "WebhookCreate",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookUpdate",
)
