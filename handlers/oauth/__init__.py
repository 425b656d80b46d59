"""Handlers of ``openapi/oauth.yaml``: sign-in, consent, token, revocation."""
