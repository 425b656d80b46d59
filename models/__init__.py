"""SQLAlchemy models. Models never import from handlers or Connexion."""

from models.base import Base
from models.builds import Build, BuildObject
from models.invites import Invite
from models.jobs import Job
from models.keys import SSHKey
from models.namespaces import Collaborator, Namespace
from models.objects import Object
from models.users import Token, User
from models.variables import Variable
from models.webhooks import Webhook

__all__ = [
    "Base",
    "Build",
    "BuildObject",
    "Collaborator",
    "Invite",
    "Job",
    "Namespace",
    "Object",
    "SSHKey",
    "Token",
    "User",
    "Variable",
    "Webhook",
]
