"""Contains all the data models used in inputs/outputs"""

from .container import Container
from .container_create import ContainerCreate
from .container_create_form import ContainerCreateForm
from .container_create_multipart import ContainerCreateMultipart
from .container_page import ContainerPage
from .container_settings import ContainerSettings
from .container_slug import ContainerSlug
from .container_update import ContainerUpdate
from .container_update_form import ContainerUpdateForm
from .container_update_multipart import ContainerUpdateMultipart
from .csr import Csr
from .dataset import Dataset
from .detail import Detail
from .domain import Domain
from .domain_authentication import DomainAuthentication
from .domain_billing import DomainBilling
from .domain_cert_type import DomainCertType
from .domain_certificate import DomainCertificate
from .domain_create import DomainCreate
from .domain_create_billing import DomainCreateBilling
from .domain_create_billing_form import DomainCreateBillingForm
from .domain_create_billing_multipart import DomainCreateBillingMultipart
from .domain_create_form import DomainCreateForm
from .domain_create_multipart import DomainCreateMultipart
from .domain_host import DomainHost
from .domain_host_form import DomainHostForm
from .domain_mail import DomainMail
from .domain_page import DomainPage
from .domain_sender import DomainSender
from .domain_sender_form import DomainSenderForm
from .domain_slug import DomainSlug
from .domain_state import DomainState
from .domain_update import DomainUpdate
from .domain_update_authentication import DomainUpdateAuthentication
from .domain_update_form import DomainUpdateForm
from .domain_update_multipart import DomainUpdateMultipart
from .logs import Logs
from .new_cert import NewCert
from .new_cert_form import NewCertForm
from .new_cert_key_type import NewCertKeyType
from .new_cert_multipart import NewCertMultipart
from .validation_error import ValidationError
from .validation_error_additional_property_item_type_1 import ValidationErrorAdditionalPropertyItemType1
from .variable import Variable

__all__ = (
    "Container",
    "ContainerCreate",
    "ContainerCreateForm",
    "ContainerCreateMultipart",
    "ContainerPage",
    "ContainerSettings",
    "ContainerSlug",
    "ContainerUpdate",
    "ContainerUpdateForm",
    "ContainerUpdateMultipart",
    "Csr",
    "Dataset",
    "Detail",
    "Domain",
    "DomainAuthentication",
    "DomainBilling",
    "DomainCertificate",
    "DomainCertType",
    "DomainCreate",
    "DomainCreateBilling",
    "DomainCreateBillingForm",
    "DomainCreateBillingMultipart",
    "DomainCreateForm",
    "DomainCreateMultipart",
    "DomainHost",
    "DomainHostForm",
    "DomainMail",
    "DomainPage",
    "DomainSender",
    "DomainSenderForm",
    "DomainSlug",
    "DomainState",
    "DomainUpdate",
    "DomainUpdateAuthentication",
    "DomainUpdateForm",
    "DomainUpdateMultipart",
    "Logs",
    "NewCert",
    "NewCertForm",
    "NewCertKeyType",
    "NewCertMultipart",
    "ValidationError",
    "ValidationErrorAdditionalPropertyItemType1",
    "Variable",
)
