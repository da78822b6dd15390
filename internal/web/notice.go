package web

import (
	"net/http"
	"strings"
)

// notice is the code of a message shown after an action (Post/Redirect/Get): the redirect carries
// the code in ?done=, and the page shows the sentence this table holds for it. A code that is not
// here shows nothing, so that a link cannot make the site say something it never said ("your
// account is suspended, call …" in a green box under the site's own name).
type notice string

const (
	noticeWelcome           notice = "welcome"
	noticeNoteAdded         notice = "note_added"
	noticeEvidenceAdded     notice = "evidence_added"
	noticeEvidenceStaged    notice = "evidence_staged"
	noticeEvidenceCompiled  notice = "evidence_compiled"
	noticeLetterSaved       notice = "cover_letter_saved"
	noticeLetterDraft       notice = "cover_letter_draft"
	noticeStagedSubmitted   notice = "evidence_staged_submitted"
	noticeEvidenceSent      notice = "evidence_submitted"
	noticeEvidenceSending   notice = "evidence_sending"
	noticeStagedSending     notice = "evidence_staged_sending"
	noticeConcessionSending notice = "concession_sending"
	noticeDisputeClosed     notice = "dispute_closed"
	noticeDisputeConceded   notice = "dispute_conceded"
	noticeDisputeMoved      notice = "dispute_moved"
	noticeDisputeResolved   notice = "dispute_resolved"
	noticeRefundSending     notice = "refund_sending"
	noticeDisputeOpened     notice = "dispute_opened"
	noticeDisputeMatched    notice = "dispute_matched"
	noticeDisputeUpdated    notice = "dispute_updated"
	noticeOrderVoided       notice = "order_voided"
	noticeLineSuspended     notice = "line_suspended"
	noticeLineEnabled       notice = "line_enabled"
	noticeLineTerminated    notice = "line_terminated"
	noticeUserCreated       notice = "user_created"
	noticeUserDisabled      notice = "user_disabled"
	noticeUserEnabled       notice = "user_enabled"
	noticeUserSignedOut     notice = "user_signed_out"
	noticeUserDeleted       notice = "user_deleted"
	noticeUserPasswordReset notice = "user_password_reset"
	noticeAPIKeyRevoked     notice = "api_key_revoked"
	noticeAppDisconnected   notice = "app_disconnected"
	noticeAppRemoved        notice = "app_removed"
	noticeEndpointSaved     notice = "endpoint_saved"
	noticeEndpointEnabled   notice = "endpoint_enabled"
	noticeEndpointDisabled  notice = "endpoint_disabled"
	noticeEndpointDeleted   notice = "endpoint_deleted"
	noticeRedeliveryQueued  notice = "redelivery_queued"
	noticeJobRetried        notice = "job_retried"
	noticeInboxRetried      notice = "provider_event_retried"
	noticeSettingsSaved     notice = "settings_saved"
	noticeBlockAdded        notice = "block_added"
	noticeBlockRemoved      notice = "block_removed"
	noticeRefundRecorded    notice = "refund_recorded"
	noticePanelAdded        notice = "panel_added"
	noticePanelDeleted      notice = "panel_deleted"
	noticeProviderAdded     notice = "provider_added"
	noticeImportStarted     notice = "import_started"
	noticeImportCanceled    notice = "import_canceled"
	noticeProviderDeleted   notice = "provider_deleted"
	noticeRateRecorded      notice = "exchange_rate_recorded"
	noticeRateDeleted       notice = "exchange_rate_deleted"
	noticeRuleSaved         notice = "rule_saved"
	noticeRuleEnabled       notice = "rule_enabled"
	noticeRuleDisabled      notice = "rule_disabled"
	noticeRuleDeleted       notice = "rule_deleted"
)

var notices = map[notice]string{
	noticeWelcome:           "Welcome. You are the first admin.",
	noticeNoteAdded:         "Note added.",
	noticeEvidenceAdded:     "Evidence added.",
	noticeEvidenceStaged:    "Evidence staged; it is sent when you submit it.",
	noticeEvidenceCompiled:  "Evidence compiled from what disputed holds; what you wrote was left as it was.",
	noticeLetterSaved:       "Cover letter saved; it heads the packet.",
	noticeLetterDraft:       "The drafted cover letter heads the packet again.",
	noticeStagedSubmitted:   "Evidence staged and submitted.",
	noticeEvidenceSent:      "Evidence submitted.",
	noticeEvidenceSending:   "The evidence is being sent to {provider}. The dispute moves once {provider} has accepted it; this page shows when.",
	noticeStagedSending:     "Evidence staged. It is being sent to {provider}; the dispute moves once {provider} has accepted it.",
	noticeConcessionSending: "The concession is being sent to {provider}. The dispute is lost once {provider} has accepted it; this page shows when.",
	noticeDisputeClosed:     "Dispute closed.",
	noticeDisputeConceded:   "Dispute conceded: it is lost.",
	noticeDisputeMoved:      "Status changed.",
	noticeDisputeResolved:   "Dispute resolved.",
	noticeRefundSending:     "The refund is being made through the provider. The timeline shows when it is made; an alert then resolves.",
	noticeDisputeOpened:     "Dispute opened. The order's active service lines are being suspended.",
	noticeDisputeMatched:    "Dispute matched to the charge.",
	noticeDisputeUpdated:    "Details saved.",
	noticeOrderVoided:       "Order voided. Its service lines are being terminated.",
	noticeLineSuspended:     "Confirmed: the line is suspended in its panel.",
	noticeLineEnabled:       "Confirmed: the line is enabled in its panel.",
	noticeLineTerminated:    "Confirmed: the line is terminated in its panel.",
	noticeUserCreated:       "User created.",
	noticeUserDisabled:      "User disabled and signed out everywhere.",
	noticeUserEnabled:       "User enabled: they may sign in again.",
	noticeUserSignedOut:     "User signed out everywhere.",
	noticeUserDeleted:       "User deleted.",
	noticeUserPasswordReset: "The user has a new password and was signed out everywhere.",
	noticeAPIKeyRevoked:     "API key revoked: it authenticates nothing from now on.",
	noticeAppDisconnected:   "App disconnected: its tokens stopped working. It can ask to connect again.",
	noticeAppRemoved:        "App removed, with its tokens and its webhook endpoints.",
	noticeEndpointSaved:     "Endpoint saved.",
	noticeEndpointEnabled:   "Endpoint enabled.",
	noticeEndpointDisabled:  "Endpoint disabled: no new deliveries are made to it.",
	noticeEndpointDeleted:   "Endpoint deleted.",
	noticeRedeliveryQueued:  "The delivery is queued to be sent again.",
	noticeJobRetried:        "The job is scheduled to run again now.",
	noticeInboxRetried:      "The provider event is due again now: the appliers apply it in a moment.",
	noticeSettingsSaved:     "Settings saved.",
	noticeBlockAdded:        "Blocked: no new order is accepted from it.",
	noticeBlockRemoved:      "Unblocked: it may be used again.",
	noticeRefundRecorded:    "Refund recorded.",
	noticePanelAdded:        "Panel added: order lines may name it now.",
	noticePanelDeleted:      "Panel deleted.",
	noticeProviderAdded:     "Provider added: give it the webhook address listed here.",
	noticeImportStarted:     "Import started: its progress is shown below, and it goes on if you leave the page.",
	noticeImportCanceled:    "Import canceled: it stops before its next page; the events it read are kept and applied.",
	noticeProviderDeleted:   "Provider deleted: its webhooks are refused from now on.",
	noticeRateRecorded:      "Exchange rate recorded.",
	noticeRateDeleted:       "Exchange rate deleted: conversions use the rate in force without it.",
	noticeRuleSaved:         "Rule saved. If enabled, it runs from the next time a dispute opens or changes.",
	noticeRuleEnabled:       "Rule enabled: it runs from the next time a dispute opens or changes.",
	noticeRuleDisabled:      "Rule disabled: it takes no more actions; what it did stays done.",
	noticeRuleDeleted:       "Rule deleted; the disputes' timelines keep what it did.",
}

// noticeOf is the sentence of the request's ?done= code, or "" for a code the table lacks. A
// sentence about a provider names it with {provider}, which the page's data fills in (a
// providerNamer): the name comes from the record, never from the link.
func noticeOf(r *http.Request, data any) string {
	n := notices[notice(r.URL.Query().Get("done"))]
	if strings.Contains(n, "{provider}") {
		name := "the provider"
		if p, ok := data.(providerNamer); ok && p.providerName() != "" {
			name = p.providerName()
		}
		n = strings.ReplaceAll(n, "{provider}", name)
	}
	return n
}

// providerNamer is page data about one provider's record, which notices name.
type providerNamer interface{ providerName() string }

// done redirects after a successful action to the page that shows its result, with the notice.
func done(w http.ResponseWriter, r *http.Request, to string, n notice) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"done="+string(n), http.StatusSeeOther)
}
