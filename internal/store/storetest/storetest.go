// Package storetest is the conformance suite of store.Store: every implementation runs Run, so
// that the app can rely on one behaviour whichever database is behind it. Each test gets a fresh,
// empty store and checks concrete values: round trips of every field, the not-found and conflict
// errors, revisions, the money bounds under concurrent writers, filters and pagination, and the
// job queue: upserts by key, claims and leases under concurrent claimers, and every state change.
package storetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/store"
)

// Run runs the suite; open must return a fresh, empty store and close it when t ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"NotFound", testNotFound},
		{"CustomerRoundTrip", testCustomerRoundTrip},
		{"OrderRoundTrip", testOrderRoundTrip},
		{"LineRoundTrip", testLineRoundTrip},
		{"ActivityRoundTrip", testActivityRoundTrip},
		{"ActivityLists", testActivityLists},
		{"TransactionRoundTrip", testTransactionRoundTrip},
		{"DisputeRoundTrip", testDisputeRoundTrip},
		{"DisputeEmptyFields", testDisputeEmptyFields},
		{"TimesMillisecondsUTC", testTimesMillisecondsUTC},
		{"EvidenceRoundTrip", testEvidenceRoundTrip},
		{"EvidencePagesAndUsage", testEvidencePagesAndUsage},
		{"HistoryRoundTrip", testHistoryRoundTrip},
		{"AccessRoundTrip", testAccessRoundTrip},
		{"DuplicateIDs", testDuplicateIDs},
		{"UpdateDispute", testUpdateDispute},
		{"UpdateDisputeConcurrent", testUpdateDisputeConcurrent},
		{"UpdateOrder", testUpdateOrder},
		{"UpdateLine", testUpdateLine},
		{"OneOpenDisputePerOrder", testOneOpenDisputePerOrder},
		{"ConflictKeepsTxUsable", testConflictKeepsTxUsable},
		{"AdjustTransaction", testAdjustTransaction},
		{"AdjustTransactionConcurrent", testAdjustTransactionConcurrent},
		{"FindTransaction", testFindTransaction},
		{"RelatedTransactions", testRelatedTransactions},
		{"CardCharges", testCardCharges},
		{"ListDisputesFilters", testListDisputesFilters},
		{"DisputesAwaitingCharge", testDisputesAwaitingCharge},
		{"RefundsAwaitingPayment", testRefundsAwaitingPayment},
		{"GetDisputes", testGetDisputes},
		{"ReadsSeeOwnWrites", testReadsSeeOwnWrites},
		{"ReadRowsAhead", testReadRowsAhead},
		{"ReadLookupsAhead", testReadLookupsAhead},
		{"LockReferences", testLockReferences},
		{"LockedReferencesReadAgain", testLockedReferencesReadAgain},
		{"ListDisputesDueEarly", testListDisputesDueEarly},
		{"WalkDisputesBound", testWalkDisputesBound},
		{"WalkTransactionsBound", testWalkTransactionsBound},
		{"WalkJobsBound", testWalkJobsBound},
		{"WalkProviderEventsBound", testWalkProviderEventsBound},
		{"WalkOrdersBound", testWalkOrdersBound},
		{"WalkCustomersBound", testWalkCustomersBound},
		{"WalkEventsBound", testWalkEventsBound},
		{"ListDisputesQuery", testListDisputesQuery},
		{"ListDisputesSearchIndex", testListDisputesSearchIndex},
		{"ListDisputesSearchText", testListDisputesSearchText},
		{"ListDisputesRelatedIndex", testListDisputesRelatedIndex},
		{"ListDisputesSearchWords", testListDisputesSearchWords},
		{"ListDisputesSearchCustomers", testListDisputesSearchCustomers},
		{"ListDisputesAdmin", testListDisputesAdmin},
		{"DisputeSummaries", testDisputeSummaries},
		{"DisputeStats", testDisputeStats},
		{"DecidedCounts", testDecidedCounts},
		{"EachOutcome", testEachOutcome},
		{"MonitoringCounts", testMonitoringCounts},
		{"SecuritySumsOverflowSafe", testSecuritySumsOverflowSafe},
		{"ManualLines", testManualLines},
		{"FailedSubmissions", testFailedSubmissions},
		{"ListOrdersFilters", testListOrdersFilters},
		{"ListCustomersFilters", testListCustomersFilters},
		{"ListTransactionsFilters", testListTransactionsFilters},
		{"ListEventsFilters", testListEventsFilters},
		{"ListBlocksFilter", testListBlocksFilter},
		{"TimelineOrder", testTimelineOrder},
		{"OldestFirstLists", testOldestFirstLists},
		{"Pagination", testPagination},
		{"Blocklist", testBlocklist},
		{"ExchangeRates", testExchangeRates},
		{"Rules", testRules},
		{"RuleRunOnce", testRuleRunOnce},
		{"DisputeFacts", testDisputeFacts},
		{"APIKeys", testAPIKeys},
		{"Apps", testApps},
		{"Idempotency", testIdempotency},
		{"Settings", testSettings},
		{"Panels", testPanels},
		{"Emails", testEmails},
		{"Providers", testProviders},
		{"ProviderImports", testProviderImports},
		{"Webhooks", testWebhooks},
		{"UsersAndSessions", testUsersAndSessions},
		{"RevokeUser", testRevokeUser},
		{"SignInFailures", testSignInFailures},
		{"SignInAttemptsConcurrent", testSignInAttemptsConcurrent},
		{"SetupTokens", testSetupTokens},
		{"SettingsFirstSaveWithoutCreatedAt", testSettingsFirstSaveWithoutCreatedAt},
		{"JobRoundTrip", testJobRoundTrip},
		{"ScheduleJobByKey", testScheduleJobByKey},
		{"ScheduleJobDuplicateID", testScheduleJobDuplicateID},
		{"ScheduleJobConcurrent", testScheduleJobConcurrent},
		{"ClaimJobs", testClaimJobs},
		{"ClaimLease", testClaimLease},
		{"ClaimAbandonedInOrder", testClaimAbandonedInOrder},
		{"ClaimJobsConcurrent", testClaimJobsConcurrent},
		{"FinishJob", testFinishJob},
		{"ReleaseJob", testReleaseJob},
		{"RetryJob", testRetryJob},
		{"CancelJobs", testCancelJobs},
		{"PurgeJobs", testPurgeJobs},
		{"NextJobAt", testNextJobAt},
		{"ListJobsFilters", testListJobsFilters},
		{"TxRollbackOnError", testTxRollbackOnError},
		{"Savepoint", testSavepoint},
		{"TxRollbackOnPanic", testTxRollbackOnPanic},
		{"TxReadsOwnWrites", testTxReadsOwnWrites},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open(t))
		})
	}
}

// write runs fn in a transaction and fails the test if it fails.
func write(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Tx(t.Context(), fn); err != nil {
		t.Fatalf("Tx: %v", err)
	}
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", what, err, want)
	}
}

// noErr fails the test at once on an error.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// same fails the test when got and want differ.
func same(t *testing.T, what string, got, want any, opts ...cmp.Option) {
	t.Helper()
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("%s: mismatch (-want +got):\n%s", what, diff)
	}
}
