"""SQLAlchemy models. Models never import from handlers or Connexion."""

from models.base import Base
from models.builds import Build, BuildObject
from models.jobs import Job
from models.namespaces import Namespace
from models.objects import Object
from models.users import Token, User

__all__ = ["Base", "Build", "BuildObject", "Job", "Namespace", "Object", "Token", "User"]
