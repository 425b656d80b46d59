"""DjaoDjin hosting API operations (``openapi/djaodjin.yaml``)."""
