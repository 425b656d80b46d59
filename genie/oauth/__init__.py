"""The OAuth 2 provider: passwords, browser sessions and CSRF, apps, and the
authorization-code flow with PKCE (``openapi/oauth.yaml``, ``handlers.oauth``).

* :mod:`genie.oauth.credentials` hashes passwords (bcrypt) and client secrets
  (HMAC under the server key), and signs cookies;
* :mod:`genie.oauth.flow` checks an authorization request (app, exact redirect,
  scopes, PKCE);
* :mod:`genie.oauth.grants` authenticates clients and exchanges codes (RFC 6749
  §4.1.3, RFC 7636), with RFC 6749 §5.2 errors;
* :mod:`genie.oauth.pages` renders the sign-in, consent and error pages.
"""
