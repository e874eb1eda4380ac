# teams/billing.dsl: plans, usage, invoices and payments.  Billing runs in
# the US and the EU only; its batch jobs in the batch clusters.

service plan-catalog {
  in us, eu
  needs metadata-db
}
service pricing-engine {
  in us, eu
  needs plan-catalog, feature-flags
}
service coupon-service {
  in us, eu
  needs plan-catalog
}
service usage-meter {
  in us, eu
  needs message-bus, kv-cache
}
service credit-ledger {
  in us, eu
  needs metadata-db
}
service fraud-screen {
  in us, eu
  needs geoip-lookup, user-directory
}

service tax-calculator {
  in us, eu
  needs pricing-engine
  image "gcr.io/acme-vendor/taxcore"  # a vendor's image, with its own tag
  version "7.4.2"
}

service subscription-manager {
  in us, eu
  needs plan-catalog, user-directory, credit-ledger
}

service invoice-generator {
  in us, eu
  needs subscription-manager, pricing-engine, tax-calculator, usage-meter
}

service payment-gateway {
  in us, eu
  needs secrets-broker, fraud-screen, credit-ledger, audit-log
  image "gcr.io/acme/payments/gateway"
}

service billing-webhooks {
  in us, eu
  needs payment-gateway, message-bus
}
service invoice-mailer {
  in us, eu
  needs invoice-generator, notification-relay
}

service billing-api {
  in us, eu
  needs invoice-generator, payment-gateway, coupon-service, auth
}
service billing-ui {
  in us, eu
  needs billing-api, login-ui
}

# Nightly jobs.
service usage-aggregator {
  in batch
  needs usage-meter, object-store
}
service dunning-worker {
  in batch
  needs invoice-generator, notification-relay
}
service revenue-reports {
  in batch
  needs invoice-generator, aggregation-engine
}
