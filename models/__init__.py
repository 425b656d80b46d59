"""SQLAlchemy models. Models never import from handlers or Connexion."""

from models.api_keys import ApiKey
from models.base import Base
from models.build_parts import BuildArtifact, BuildJob, BuildKey, BuildTag, BuildVariable
from models.builds import Build, BuildCounter, BuildObject
from models.containers import Container, DeployLog, Deployment
from models.cron import Cron, CronBuild
from models.domains import Domain
from models.images import Image, ImageDownload
from models.invites import Invite
from models.jobs import Job
from models.keys import SSHKey
from models.namespaces import Collaborator, Namespace
from models.oauth import OAuthApp, OAuthCode, UserSession
from models.objects import Object
from models.organizations import Organization, Role
from models.ratelimits import RateLimit
from models.users import Token, User
from models.variables import Variable
from models.webhooks import Webhook

__all__ = [
    "ApiKey",
    "Base",
    "Build",
    "BuildArtifact",
    "BuildCounter",
    "BuildJob",
    "BuildKey",
    "BuildObject",
    "BuildTag",
    "BuildVariable",
    "Collaborator",
    "Container",
    "Cron",
    "CronBuild",
    "DeployLog",
    "Deployment",
    "Domain",
    "Image",
    "ImageDownload",
    "Invite",
    "Job",
    "Namespace",
    "OAuthApp",
    "OAuthCode",
    "Object",
    "Organization",
    "RateLimit",
    "Role",
    "SSHKey",
    "Token",
    "User",
    "UserSession",
    "Variable",
    "Webhook",
]
