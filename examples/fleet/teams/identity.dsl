# teams/identity.dsl: users, sessions, tokens and permissions.

service session-store {
  in us, eu, edges
  needs kv-cache
}
service policy-engine {
  in us, eu, edges
  needs config-store
}
service token-service {
  in us, eu, edges
  needs secrets-broker, session-store, config-store
}
service api-keys {
  in us, eu, edges
  needs token-service, policy-engine
}
service token-verifier {
  in us, eu, edges
  needs token-service, api-keys
}

service user-directory {
  in us, eu
  needs metadata-db
}
service auth {
  in us, eu
  needs token-service, user-directory
}
service permissions {
  in us, eu
  needs user-directory, policy-engine
}

service oauth-provider {
  in us, eu
  needs auth, token-service
}
service saml-bridge {
  in us, eu
  needs auth, user-directory
}
service mfa-service {
  in us, eu
  needs auth, notification-relay
}

service account-api {
  in us, eu
  needs auth, permissions
  needs user-directory  # a second needs line adds to the first
}

service password-reset {
  in us, eu
  needs account-api, mfa-service
}
service login-ui {
  in us, eu
  needs oauth-provider, mfa-service, feature-flags
  version "2026.48.3"
}

service identity-admin {
  in us-central1-b, europe-west1-b  # one cluster per region is enough
  needs account-api, permissions, audit-log
}

service scim-sync {
  in batch
  needs user-directory, permissions
}
