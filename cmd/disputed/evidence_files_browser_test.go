package main

import (
	"context"
	"disputed/internal/testenv/browsertest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
)

// thumbnailShown waits until the page shows the image of the evidence item as a thumbnail: the
// <img> has loaded the file (so the route served it and the page's policy let it in).
func thumbnailShown(t *testing.T, ctx context.Context, item string) {
	t.Helper()
	js := `(() => { const i = document.querySelector("#item-` + item + ` .evidence-thumb img");
		return !!i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0 })()`
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no thumbnail of %s (error %v):\n%s", item, err, opsHTML(t, ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserEvidenceThumbnails: the buyer's photo is a thumbnail on the portal and on the
// admin's dispute page, a PDF a link to open it; a page disguised as a photo is refused by the
// portal as by the API.
func TestBrowserEvidenceThumbnails(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	id, customer := s.vendorDispute("ven_thumbs")
	buyer := s.as(s.newKey(actor.Buyer, customer))
	photo := buyer.uploadEvidence(id, "box.png", "", testPNG, nil)
	want(t, photo, 201)
	invoice := s.uploadEvidence(id, "invoice.pdf", "", testPDF, nil)
	want(t, invoice, 201)
	apw := s.user("admin@example.com", actor.Admin, "")
	bpw := s.user("buyer@example.com", actor.Buyer, customer)

	ctx := browsertest.New(t)
	s.signIn(ctx, "buyer@example.com", bpw)
	opsOpen(t, ctx, s.base+"/portal/disputes/"+id, "ol.evidence-list")
	thumbnailShown(t, ctx, photo.str("id"))
	html := opsHTML(t, ctx)
	if !strings.Contains(html, `href="/portal/disputes/`+id+`/evidence/`+invoice.str("id")+`/file"`) {
		t.Errorf("the portal does not link the PDF:\n%s", html)
	}

	page := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(page, testHTML, 0o600); err != nil {
		t.Fatal(err)
	}
	opsAct(t, ctx, "p.error", "not accepted as evidence",
		opsOpenDetails(`#add-file`),
		chromedp.SetUploadFiles(chromedp.CSS(`#add-file input[type=file]`), []string{page}),
		chromedp.Click(chromedp.CSS(`#add-file button`)))
	if n := len(s.get("/v1/disputes/" + id + "/evidence").list()); n != 2 {
		t.Errorf("%d items after the refused page, want 2", n)
	}

	admin := browsertest.New(t)
	s.signIn(admin, "admin@example.com", apw)
	opsOpen(t, admin, s.base+"/disputes/"+id, "#evidence-items")
	thumbnailShown(t, admin, photo.str("id"))
	if html := opsHTML(t, admin); !strings.Contains(html, `href="/disputes/`+id+`/evidence/`+invoice.str("id")+`/file"`) {
		t.Errorf("the dispute page does not link the PDF:\n%s", html)
	}
}
