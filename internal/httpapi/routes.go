package httpapi

import "net/http"

const (
	get  = http.MethodGet
	post = http.MethodPost
	del  = http.MethodDelete
)

// routeTable is every route of the API, in one screen, with the body limit of each (limits.go).
func (s *Server) routeTable() {
	register(s, op{method: get, path: "/healthz", maxBody: noBody, id: "healthz", summary: "The process is up", tag: "health", public: true}, s.healthz)
	register(s, op{method: get, path: "/readyz", maxBody: noBody, id: "readyz", summary: "The database answers", tag: "health", public: true}, s.readyz)
	s.plain(op{method: get, path: "/metrics", maxBody: noBody, id: "metrics", summary: "Prometheus metrics", tag: "health", public: true}, s.metrics.serve)
	s.plain(op{method: get, path: "/openapi.json", maxBody: noBody, id: "openapi", summary: "This document", tag: "health", public: true}, s.serveOpenAPI)

	register(s, op{method: post, path: "/v1/customers", maxBody: smallJSON, id: "create-customer", scope: "customers:write", summary: "Create a customer", tag: "customers", status: 201}, s.createCustomer)
	register(s, op{method: get, path: "/v1/customers", maxBody: noBody, id: "list-customers", scope: "customers:read", summary: "List customers", tag: "customers"}, s.listCustomers)
	register(s, op{method: get, path: "/v1/customers/{id}", maxBody: noBody, id: "get-customer", scope: "customers:read", summary: "Retrieve a customer", tag: "customers"}, s.getCustomer)

	register(s, op{method: post, path: "/v1/orders", maxBody: largeJSON, id: "create-order", scope: "orders:write", summary: "Create an order", tag: "orders", status: 201}, s.createOrder)
	register(s, op{method: get, path: "/v1/orders", maxBody: noBody, id: "list-orders", scope: "orders:read", summary: "List orders", tag: "orders"}, s.listOrders)
	register(s, op{method: get, path: "/v1/orders/{id}", maxBody: noBody, id: "get-order", scope: "orders:read", summary: "Retrieve an order", tag: "orders"}, s.getOrder)
	register(s, op{method: post, path: "/v1/orders/{id}", maxBody: smallJSON, id: "update-order", scope: "orders:write", summary: "Update an order's purchase context", tag: "orders"}, s.updateOrder)
	register(s, op{method: post, path: "/v1/orders/{id}/complete", maxBody: smallJSON, id: "complete-order", scope: "orders:write", summary: "Mark an order paid and fulfilled", tag: "orders"}, s.completeOrder)
	register(s, op{method: post, path: "/v1/orders/{id}/void", maxBody: smallJSON, id: "void-order", scope: "orders:write", summary: "Void an order (final)", tag: "orders"}, s.voidOrder)
	register(s, op{method: post, path: "/v1/orders/{id}/dispute", maxBody: smallJSON, id: "dispute-order", scope: "disputes:write", summary: "Open a manual dispute on an order", tag: "orders", status: 201}, s.disputeOrder)
	register(s, op{method: get, path: "/v1/orders/{id}/timeline", maxBody: noBody, id: "order-timeline", scope: "orders:read", summary: "The order's audit trail", tag: "orders"}, s.orderTimeline)
	register(s, op{method: get, path: "/v1/orders/{id}/emails", maxBody: noBody, id: "order-emails", scope: "orders:read", summary: "Customer emails about the order", tag: "orders"}, s.orderEmails)

	register(s, op{method: get, path: "/v1/lines/{id}", maxBody: noBody, id: "get-line", scope: "orders:read", summary: "Retrieve a service line", tag: "lines"}, s.getLine)
	register(s, op{method: post, path: "/v1/lines/{id}/confirm", maxBody: smallJSON, id: "confirm-line", scope: "orders:write", summary: "Confirm a line action done by hand", tag: "lines"}, s.confirmLine)
	register(s, op{method: get, path: "/v1/lines/{id}/history", maxBody: noBody, id: "line-history", scope: "orders:read", summary: "The line's own history, with the panel's answers", tag: "lines"}, s.lineHistory)
	register(s, op{method: post, path: "/v1/lines/{id}/activity", maxBody: smallJSON, id: "record-line-activity", scope: "orders:write", summary: "Record what the customer did with the line's service (a repeat returns the entry kept)", tag: "lines", status: 201}, s.recordActivity)
	register(s, op{method: post, path: "/v1/lines/{id}/activity/batch", maxBody: largeJSON, id: "record-line-activity-batch", scope: "orders:write", summary: "Record up to 100 activity entries, all or none", tag: "lines", status: 201}, s.recordActivityBatch)
	register(s, op{method: get, path: "/v1/lines/{id}/activity", maxBody: noBody, id: "list-line-activity", scope: "orders:read", summary: "The line's activity, newest first", tag: "lines"}, s.listActivity)

	register(s, op{method: post, path: "/v1/panels", maxBody: smallJSON, id: "create-panel", summary: "Register a panel plugin (admin)", tag: "panels", status: 201}, s.createPanel)
	register(s, op{method: get, path: "/v1/panels", maxBody: noBody, id: "list-panels", summary: "List panel plugins", tag: "panels"}, s.listPanels)
	register(s, op{method: get, path: "/v1/panels/{name}", maxBody: noBody, id: "get-panel", summary: "Retrieve a panel plugin", tag: "panels"}, s.getPanel)
	register(s, op{method: del, path: "/v1/panels/{name}", maxBody: noBody, id: "delete-panel", summary: "Remove a panel no live line uses (admin)", tag: "panels"}, s.deletePanel)

	register(s, op{method: post, path: "/v1/transactions", maxBody: smallJSON, id: "create-transaction", scope: "transactions:write", summary: "Record a transaction", tag: "transactions", status: 201}, s.createTransaction)
	listTransactions := op{method: get, path: "/v1/transactions", maxBody: noBody, id: "list-transactions", scope: "transactions:read", summary: "List transactions", tag: "transactions"}
	register(s, listTransactions, s.listTransactions)
	registerCSV(s, listTransactions, s.transactionCSV())
	register(s, op{method: get, path: "/v1/transactions/{id}", maxBody: noBody, id: "get-transaction", scope: "transactions:read", summary: "Retrieve a transaction", tag: "transactions"}, s.getTransaction)
	register(s, op{method: post, path: "/v1/transactions/{id}/refund", maxBody: smallJSON, id: "refund-transaction", scope: "refunds:write", summary: "Refund a charge", tag: "transactions", status: 201}, s.refundTransaction)

	register(s, op{method: post, path: "/v1/disputes", maxBody: smallJSON, id: "create-dispute", scope: "disputes:write", summary: "Open a dispute", tag: "disputes", status: 201}, s.createDispute)
	listDisputes := op{method: get, path: "/v1/disputes", maxBody: noBody, id: "list-disputes", scope: "disputes:read", summary: "List disputes", tag: "disputes"}
	register(s, listDisputes, s.listDisputes)
	registerCSV(s, listDisputes, s.disputeCSV())
	register(s, op{method: get, path: "/v1/disputes/{id}", maxBody: noBody, id: "get-dispute", scope: "disputes:read", summary: "Retrieve a dispute", tag: "disputes"}, s.getDispute)
	register(s, op{method: post, path: "/v1/disputes/{id}", maxBody: largeJSON, id: "update-dispute", scope: "disputes:write", summary: "Update a dispute", tag: "disputes"}, s.updateDispute)
	register(s, op{method: post, path: "/v1/disputes/{id}/evidence", maxBody: evidenceUpload, id: "add-evidence", scope: "disputes:write", summary: "Append an evidence item", tag: "disputes", status: 201, body: s.evidenceRequestBody()}, s.addEvidence)
	register(s, op{method: get, path: "/v1/disputes/{id}/evidence", maxBody: noBody, id: "list-evidence", scope: "disputes:read", summary: "List evidence items", tag: "disputes"}, s.listEvidence)
	s.evidenceFileRoute(op{method: get, path: "/v1/disputes/{id}/evidence/{item}/file", maxBody: noBody, id: "get-evidence-file", scope: "disputes:read", summary: "Download an evidence item's file", tag: "disputes"})
	register(s, op{method: get, path: "/v1/disputes/{id}/packet", maxBody: noBody, id: "get-packet", scope: "disputes:read", summary: "The evidence packet: its cover letter, its exhibits, and whether it fits the provider's and network's limits", tag: "disputes"}, s.getPacket)
	s.packetPDFRoute(op{method: get, path: "/v1/disputes/{id}/packet.pdf", maxBody: noBody, id: "get-packet-pdf", scope: "disputes:read", summary: "The evidence packet as one PDF (422 evidence_packet_too_large, naming what to cut, when it would not fit)", tag: "disputes"})
	register(s, op{method: post, path: "/v1/disputes/{id}/compile", maxBody: smallJSON, id: "compile-evidence", scope: "disputes:write", summary: "Stage the evidence disputed can fill from what it holds (never over what a person wrote)", tag: "disputes"}, s.compileEvidence)
	register(s, op{method: post, path: "/v1/disputes/{id}/submit", maxBody: smallJSON, id: "submit-dispute", scope: "disputes:write", summary: "Submit the staged evidence", tag: "disputes"}, s.submitDispute)
	register(s, op{method: post, path: "/v1/disputes/{id}/close", maxBody: smallJSON, id: "close-dispute", scope: "disputes:write", summary: "Concede (chargeback → lost) or close", tag: "disputes"}, s.closeDispute)
	register(s, op{method: post, path: "/v1/disputes/{id}/refund", maxBody: smallJSON, id: "refund-dispute", scope: "refunds:write", summary: "Refund an open alert or inquiry through its charge's provider (202: the refund is made by a job, which resolves the alert)", tag: "disputes", status: 202}, s.refundDispute)
	register(s, op{method: post, path: "/v1/disputes/{id}/status", maxBody: smallJSON, id: "move-dispute", scope: "disputes:write", summary: "Change the status", tag: "disputes"}, s.moveDispute)
	register(s, op{method: post, path: "/v1/disputes/{id}/resolve", maxBody: smallJSON, id: "resolve-dispute", scope: "disputes:write", summary: "Resolve a dispute", tag: "disputes"}, s.resolveDispute)
	register(s, op{method: get, path: "/v1/disputes/{id}/timeline", maxBody: noBody, id: "dispute-timeline", scope: "disputes:read", summary: "The dispute's audit trail", tag: "disputes"}, s.disputeTimeline)
	register(s, op{method: post, path: "/v1/disputes/{id}/notes", maxBody: smallJSON, id: "add-note", scope: "disputes:write", summary: "Add an internal note", tag: "disputes", status: 201}, s.addNote)
	register(s, op{method: get, path: "/v1/disputes/{id}/notes", maxBody: noBody, id: "list-notes", scope: "disputes:read", summary: "List internal notes", tag: "disputes"}, s.listNotes)
	register(s, op{method: get, path: "/v1/disputes/{id}/emails", maxBody: noBody, id: "dispute-emails", scope: "disputes:read", summary: "Customer emails about the dispute", tag: "disputes"}, s.disputeEmails)

	register(s, op{method: get, path: "/v1/reason_codes", maxBody: noBody, id: "list-reason-codes", summary: "The reason-code catalogue: every network's codes, their family and what wins them", tag: "disputes", scope: "disputes:read"}, s.listReasonCodes)
	getOutcomes := op{method: get, path: "/v1/analytics/outcomes", maxBody: noBody, id: "get-outcomes", scope: "analytics:read", summary: "How the disputes opened in a period ended: counts, win rate, money per currency and in the reporting currency, median time to answer; grouped by up to two dimensions", tag: "analytics"}
	register(s, getOutcomes, s.getOutcomes)
	registerCSV(s, getOutcomes, s.outcomeCSV())

	register(s, op{method: get, path: "/v1/blocklist", maxBody: noBody, id: "list-blocks", scope: "blocklist:read", summary: "List the block list", tag: "blocklist"}, s.listBlocks)
	register(s, op{method: post, path: "/v1/blocklist", maxBody: smallJSON, id: "add-block", scope: "blocklist:write", summary: "Block a value", tag: "blocklist", status: 201}, s.addBlock)
	register(s, op{method: del, path: "/v1/blocklist/{id}", maxBody: noBody, id: "delete-block", scope: "blocklist:write", summary: "Unblock a value", tag: "blocklist"}, s.deleteBlock)

	register(s, op{method: post, path: "/v1/rules", maxBody: smallJSON, id: "create-rule", scope: "rules:write", summary: "Create an automation rule (admin)", tag: "rules", status: 201}, s.createRule)
	register(s, op{method: get, path: "/v1/rules", maxBody: noBody, id: "list-rules", scope: "rules:read", summary: "List the rules in the order they run", tag: "rules"}, s.listRules)
	register(s, op{method: post, path: "/v1/rules/backtest", maxBody: smallJSON, id: "backtest-rule", scope: "rules:write", summary: "What a rule, saved or not, would have done to the decided disputes (admin)", tag: "rules"}, s.backtestRule)
	register(s, op{method: get, path: "/v1/rules/{id}", maxBody: noBody, id: "get-rule", scope: "rules:read", summary: "Retrieve a rule", tag: "rules"}, s.getRule)
	register(s, op{method: post, path: "/v1/rules/{id}", maxBody: smallJSON, id: "update-rule", scope: "rules:write", summary: "Update a rule: name, when, action, params, enabled (admin)", tag: "rules"}, s.updateRule)
	register(s, op{method: del, path: "/v1/rules/{id}", maxBody: noBody, id: "delete-rule", scope: "rules:write", summary: "Delete a rule; what it did stays on the timelines (admin)", tag: "rules"}, s.deleteRule)

	register(s, op{method: post, path: "/v1/providers", maxBody: smallJSON, id: "create-provider", summary: "Configure a payment provider (admin)", tag: "providers", status: 201}, s.createProvider)
	register(s, op{method: get, path: "/v1/providers", maxBody: noBody, id: "list-providers", summary: "List payment providers (admin)", tag: "providers"}, s.listProviders)
	register(s, op{method: get, path: "/v1/providers/{name}", maxBody: noBody, id: "get-provider", summary: "Retrieve a payment provider (admin)", tag: "providers"}, s.getProvider)
	register(s, op{method: del, path: "/v1/providers/{name}", maxBody: noBody, id: "delete-provider", summary: "Remove a payment provider (admin)", tag: "providers"}, s.deleteProvider)
	register(s, op{method: post, path: "/v1/providers/{name}/imports", maxBody: smallJSON, id: "start-import", summary: "Import the provider's history: its payments, refunds, disputes and warnings since a date (admin; 202: a job runs it)", tag: "providers", status: 202}, s.startImport)
	register(s, op{method: get, path: "/v1/providers/{name}/imports", maxBody: noBody, id: "list-imports", summary: "List the provider's history imports, newest first (admin)", tag: "providers"}, s.listImports)
	register(s, op{method: get, path: "/v1/providers/{name}/imports/{id}", maxBody: noBody, id: "get-import", summary: "Retrieve a history import and its progress (admin)", tag: "providers"}, s.getImport)
	register(s, op{method: post, path: "/v1/providers/{name}/imports/{id}/cancel", maxBody: smallJSON, id: "cancel-import", summary: "Cancel a running history import: it stops before its next page; what it wrote stays (admin; 409 when it is not running)", tag: "providers"}, s.cancelImport)
	register(s, op{method: post, path: "/v1/providers/{name}/webhook", maxBody: providerEvent, id: "provider-webhook", summary: "Events from the named provider, verified by its signature (no API key)", tag: "providers", public: true, signed: true, body: s.webhookRequestBody()}, s.providerWebhook)
	s.documentWebhookAnswer("/v1/providers/{name}/webhook")

	register(s, op{method: post, path: "/v1/webhook_endpoints", maxBody: smallJSON, secret: true, id: "create-webhook-endpoint", scope: "webhooks:write", summary: "Register a webhook endpoint (admin); the secret is shown once", tag: "webhooks", status: 201}, s.createEndpoint)
	register(s, op{method: get, path: "/v1/webhook_endpoints", maxBody: noBody, id: "list-webhook-endpoints", scope: "webhooks:write", summary: "List webhook endpoints (admin)", tag: "webhooks"}, s.listEndpoints)
	register(s, op{method: get, path: "/v1/webhook_endpoints/{id}", maxBody: noBody, id: "get-webhook-endpoint", scope: "webhooks:write", summary: "Retrieve a webhook endpoint (admin)", tag: "webhooks"}, s.getEndpoint)
	register(s, op{method: post, path: "/v1/webhook_endpoints/{id}", maxBody: smallJSON, id: "update-webhook-endpoint", scope: "webhooks:write", summary: "Change or re-enable a webhook endpoint (admin)", tag: "webhooks"}, s.updateEndpoint)
	register(s, op{method: del, path: "/v1/webhook_endpoints/{id}", maxBody: noBody, id: "delete-webhook-endpoint", scope: "webhooks:write", summary: "Remove a webhook endpoint (admin)", tag: "webhooks"}, s.deleteEndpoint)
	register(s, op{method: post, path: "/v1/webhook_endpoints/{id}/rotate_secret", maxBody: smallJSON, secret: true, id: "rotate-webhook-secret", scope: "webhooks:write", summary: "Give an endpoint a new secret, shown once; the old one signs for 24 h more (admin)", tag: "webhooks"}, s.rotateEndpoint)
	register(s, op{method: get, path: "/v1/webhook_endpoints/{id}/deliveries", maxBody: noBody, id: "list-webhook-deliveries", scope: "webhooks:write", summary: "An endpoint's deliveries (admin)", tag: "webhooks"}, s.listDeliveries)
	register(s, op{method: get, path: "/v1/webhook_deliveries/{id}", maxBody: noBody, id: "get-webhook-delivery", scope: "webhooks:write", summary: "A delivery with every attempt (admin)", tag: "webhooks"}, s.getDelivery)
	register(s, op{method: post, path: "/v1/webhook_deliveries/{id}/redeliver", maxBody: smallJSON, id: "redeliver-webhook", scope: "webhooks:write", summary: "Deliver again now (admin)", tag: "webhooks"}, s.redeliver)

	register(s, op{method: get, path: "/v1/events", maxBody: noBody, id: "list-events", scope: "events:read", summary: "List events", tag: "events"}, s.listEvents)
	register(s, op{method: get, path: "/v1/events/{id}", maxBody: noBody, id: "get-event", scope: "events:read", summary: "Retrieve an event", tag: "events"}, s.getEvent)

	register(s, op{method: post, path: "/v1/exchange_rates", maxBody: smallJSON, id: "record-exchange-rate", scope: "exchange_rates:write", summary: "Record an exchange rate (admin); the same pair and effective_from again replaces it", tag: "exchange_rates", status: 201}, s.recordExchangeRate)
	register(s, op{method: get, path: "/v1/exchange_rates", maxBody: noBody, id: "list-exchange-rates", scope: "exchange_rates:read", summary: "List the recorded exchange rates", tag: "exchange_rates"}, s.listExchangeRates)
	register(s, op{method: get, path: "/v1/analytics/ratios", maxBody: noBody, id: "dispute-ratios", scope: "analytics:read", summary: "A month's dispute ratios against Visa VAMP and Mastercard ECP, with their thresholds and status", tag: "analytics"}, s.ratios)
	register(s, op{method: del, path: "/v1/exchange_rates/{id}", maxBody: noBody, id: "delete-exchange-rate", scope: "exchange_rates:write", summary: "Delete an exchange rate (admin)", tag: "exchange_rates"}, s.deleteExchangeRate)

	register(s, op{method: get, path: "/v1/settings", maxBody: noBody, id: "get-settings", summary: "Merchant settings", tag: "settings"}, s.getSettings)
	register(s, op{method: post, path: "/v1/settings", maxBody: smallJSON, id: "save-settings", summary: "Change merchant settings", tag: "settings"}, s.saveSettings)

	register(s, op{method: post, path: "/v1/api_keys", maxBody: smallJSON, secret: true, id: "create-api-key", summary: "Create an API key (admin); the secret is shown once", tag: "api_keys", status: 201}, s.createAPIKey)
	register(s, op{method: get, path: "/v1/api_keys", maxBody: noBody, id: "list-api-keys", summary: "List API keys, revoked ones included, without their secrets (admin)", tag: "api_keys"}, s.listAPIKeys)
	register(s, op{method: post, path: "/v1/api_keys/{id}/revoke", maxBody: smallJSON, id: "revoke-api-key", summary: "Revoke an API key: it stops working at once (admin)", tag: "api_keys"}, s.revokeAPIKey)

	register(s, op{method: get, path: "/v1/users", maxBody: noBody, id: "list-users", summary: "List the web UI's users, without their passwords (admin)", tag: "users"}, s.listUsers)
	register(s, op{method: post, path: "/v1/users/{id}/disable", maxBody: smallJSON, id: "disable-user", summary: "Disable a user: signed out at once, no sign-in until enabled (admin)", tag: "users"}, s.userAction(s.access.DisableUser))
	register(s, op{method: post, path: "/v1/users/{id}/enable", maxBody: smallJSON, id: "enable-user", summary: "Let a disabled user sign in again (admin)", tag: "users"}, s.userAction(s.access.EnableUser))
	register(s, op{method: post, path: "/v1/users/{id}/sign_out", maxBody: smallJSON, id: "sign-out-user", summary: "End every session of a user at once (admin)", tag: "users"}, s.userAction(s.access.SignOutUser))
	register(s, op{method: del, path: "/v1/users/{id}", maxBody: noBody, id: "delete-user", summary: "Delete a user, ending their sessions (admin)", tag: "users"}, s.deleteUser)

	register(s, op{method: post, path: "/v1/apps", maxBody: smallJSON, secret: true, anonymous: true, id: "create-app", summary: "Register a dispute-service app (admin; or the app itself, without a key, when the settings allow self-registration); the client secret is shown once", tag: "apps", status: 201}, s.createApp)
	register(s, op{method: get, path: "/v1/apps", maxBody: noBody, id: "list-apps", summary: "List the registered apps (admin)", tag: "apps"}, s.listApps)
	register(s, op{method: get, path: "/v1/apps/{id}", maxBody: noBody, id: "get-app", summary: "Retrieve an app (admin)", tag: "apps"}, s.getApp)
	register(s, op{method: post, path: "/v1/apps/{id}/disconnect", maxBody: smallJSON, id: "disconnect-app", summary: "Revoke every token of an app at once; it stays registered (admin)", tag: "apps"}, s.disconnectApp)
	register(s, op{method: del, path: "/v1/apps/{id}", maxBody: noBody, id: "delete-app", summary: "Remove an app with its tokens and its webhook endpoints (admin)", tag: "apps"}, s.deleteApp)
	s.plain(op{method: post, path: "/oauth/token", maxBody: smallJSON, id: "oauth-token", summary: "OAuth 2.0 token endpoint: an authorization code (with its PKCE verifier) or a refresh token for tokens; the app authenticates with its client id and secret", tag: "oauth", public: true}, s.access.Token)
	s.plain(op{method: post, path: "/oauth/revoke", maxBody: smallJSON, id: "oauth-revoke", summary: "OAuth 2.0 token revocation (RFC 7009): the token and the rest of its grant stop working", tag: "oauth", public: true}, s.access.Revoke)

	register(s, op{method: get, path: "/v1/provider_events", maxBody: noBody, id: "list-provider-events", summary: "List the events providers sent: pending, applied or failed (admin)", tag: "providers"}, s.listProviderEvents)
	register(s, op{method: get, path: "/v1/provider_events/{id}", maxBody: noBody, id: "get-provider-event", summary: "Retrieve a provider's event, with its payload (admin)", tag: "providers"}, s.getProviderEvent)
	register(s, op{method: post, path: "/v1/provider_events/{id}/retry", maxBody: smallJSON, id: "retry-provider-event", summary: "Apply a failed provider event again now (admin)", tag: "providers"}, s.retryProviderEvent)
	register(s, op{method: get, path: "/v1/jobs", maxBody: noBody, id: "list-jobs", summary: "List background jobs (admin)", tag: "jobs"}, s.listJobs)
	register(s, op{method: get, path: "/v1/jobs/{id}", maxBody: noBody, id: "get-job", summary: "Retrieve a background job (admin)", tag: "jobs"}, s.getJob)
	register(s, op{method: post, path: "/v1/jobs/{id}/retry", maxBody: smallJSON, id: "retry-job", summary: "Run a dead job again (admin)", tag: "jobs"}, s.retryJob)

	s.mux.HandleFunc("/", s.notFound)
}
