"""SQLAlchemy models. Models never import from handlers or Connexion."""

from models.base import Base
from models.builds import Build, BuildObject
from models.invites import Invite
from models.jobs import Job
from models.namespaces import Collaborator, Namespace
from models.objects import Object
from models.users import Token, User
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
    "Token",
    "User",
    "Webhook",
]
