"""SQLAlchemy models. Models never import from handlers or Connexion."""

from models.base import Base
from models.builds import Build, BuildObject
from models.namespaces import Namespace
from models.objects import Object
from models.users import Token, User

__all__ = ["Base", "Build", "BuildObject", "Namespace", "Object", "Token", "User"]
