package app_test

import (
	"bytes"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// addEvidence appends an item as an admin, at whatever revision the dispute is.
func addEvidence(e *testenv.Env, id string, p app.EvidenceParams) (dispute.EvidenceItem, dispute.Dispute, error) {
	return e.App.AddEvidence(e.Ctx, testenv.Admin, id, nil, p)
}

// TestEvidence appends evidence of every kind, text and files: items are listed oldest first and
// each counts as one revision.
func TestEvidence(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d, _ := marketplaceDispute(e, 1000, false)
		r := d.Revision
		text, after, err := addEvidence(e, d.ID, app.EvidenceParams{Type: "text", Content: "chat log attached", Description: "chat"})
		if err != nil {
			t.Fatal(err)
		}
		if after.Revision != r+1 || text.DisputeID != d.ID {
			t.Errorf("text item: %+v, dispute revision %d", text, after.Revision)
		}
		link := testenv.Must(first(addEvidence(e, d.ID, app.EvidenceParams{Type: "link", Content: "https://track.example.com/123"})))(t)
		for _, p := range []app.EvidenceParams{{Type: "link", Content: "javascript:alert(1)"}, {Type: "video", Content: "x"}} {
			_, _, err := addEvidence(e, d.ID, p)
			testenv.WantFault(t, err, fault.Invalid, "")
		}
		_, _, err = addEvidence(e, d.ID, app.EvidenceParams{Type: "text", Content: "  "})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing)

		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1000)...)
		img := testenv.Must(first(addEvidence(e, d.ID, app.EvidenceParams{Description: "photo of the box", FileName: "box.png", File: png})))(t)
		if img.Type != dispute.ItemImage || img.Size != int64(len(png)) || img.FileName != "box.png" ||
			img.ContentType != "image/png" || img.Description != "photo of the box" {
			t.Errorf("image upload: %+v", img)
		}
		pdf := []byte("%PDF-1.4 invoice")
		file := testenv.Must(first(addEvidence(e, d.ID, app.EvidenceParams{Type: "file", FileName: "invoice.pdf", File: pdf})))(t)
		if file.Type != dispute.ItemFile || file.Size != int64(len(pdf)) || file.FileName != "invoice.pdf" {
			t.Errorf("file upload: %+v", file)
		}
		_, _, err = e.App.AddEvidence(e.Ctx, testenv.Admin, d.ID, rev(1), app.EvidenceParams{Type: "text", Content: "x"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeRevisionConflict)

		list, _, err := e.App.Evidence(e.Ctx, testenv.Admin, d.ID, store.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{text.ID, link.ID, img.ID, file.ID}
		var got []string
		for _, it := range list {
			got = append(got, it.ID)
		}
		if len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
			t.Fatalf("evidence list %v, want %v (oldest first)", got, want)
		}
		if list[0].Content != "chat log attached" || list[0].Description != "chat" {
			t.Errorf("first item: %+v", list[0])
		}
		if now := e.Reload(d); now.Revision != r+4 || !now.HasEvidence() {
			t.Errorf("dispute after 4 items: revision %d, has evidence %v", now.Revision, now.HasEvidence())
		}
		if n := testenv.Count(e.DisputeEventTypes(d.ID), "dispute.evidence_added"); n != 4 {
			t.Errorf("%d dispute.evidence_added events, want 4", n)
		}
	})
}

// first keeps the item of what AddEvidence returned.
func first(it dispute.EvidenceItem, _ dispute.Dispute, err error) (dispute.EvidenceItem, error) {
	return it, err
}

// TestEvidenceByKind: alerts take no evidence, card disputes only from staff while the
// merchant must respond.
func TestEvidenceByKind(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		a := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
			Money: app.Money{Amount: minor(5), Currency: "usd"}}))(t)
		note := app.EvidenceParams{Type: "text", Content: "x"}
		_, _, err := addEvidence(e, a.ID, note)
		testenv.WantFault(t, err, fault.Invalid, "")
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		cb := e.Dispute(s, "chargeback")
		testenv.Must(first(addEvidence(e, cb.ID, app.EvidenceParams{Type: "text", Content: "delivery log"})))(t)
		buyer := actor.Key("key_buyer", actor.Buyer, s.Customer.ID)
		_, _, err = e.App.AddEvidence(e.Ctx, buyer, cb.ID, nil, note)
		testenv.WantFault(t, err, fault.Forbidden, "")
		// Submitting counts appended evidence as evidence.
		sub := testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, cb.ID, nil))(t)
		if sub.Status != dispute.UnderReview || sub.SubmissionCount != 1 {
			t.Errorf("submitted: status %s, %d submissions", sub.Status, sub.SubmissionCount)
		}
		_, _, err = addEvidence(e, cb.ID, app.EvidenceParams{Type: "text", Content: "late"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		// Without evidence there is nothing to submit.
		cb2 := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		_, err = e.App.SubmitDispute(e.Ctx, testenv.Admin, cb2.ID, nil)
		testenv.WantFault(t, err, fault.Invalid, fault.CodeEvidenceMissing)
	})
}
