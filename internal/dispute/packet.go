package dispute

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/fault"
)

// FileEvidenceFields are the evidence fields that hold a file rather than text (Stripe's file
// fields): their value is the id of an evidence item with a file (evi_…), sent to the provider
// with the evidence, or the id of a file the provider already holds.
var FileEvidenceFields = []string{
	"cancellation_policy", "customer_communication", "customer_signature",
	"duplicate_charge_documentation", "receipt", "refund_policy", "service_documentation",
	"shipping_documentation", "uncategorized_file",
}

// IsItemRef says whether a staged value names one of our evidence items, whose file goes to the
// provider with the evidence.
func IsItemRef(field, value string) bool {
	return slices.Contains(FileEvidenceFields, field) && strings.HasPrefix(value, "evi_")
}

// PacketLimits are what one provider takes of the files sent with a dispute's evidence. They are
// data (packetlimits.json, with their source and the date they were checked): a provider
// changes them, the code does not.
type PacketLimits struct {
	Name          string   `json:"name"`          // the provider, for people
	ContentTypes  []string `json:"content_types"` // the kinds of file taken, as CheckFile sniffs them
	MaxFileBytes  int64    `json:"max_file_bytes,omitempty"`
	MaxTotalBytes int64    `json:"max_total_bytes,omitempty"`
	MaxPages      int      `json:"max_pages,omitempty"`
	Source        string   `json:"source"`
	Checked       string   `json:"checked"`
}

//go:embed packetlimits.json
var packetLimitsJSON []byte

// packetLimits are the limits by provider type (stripe, paypal) and by card network, read once.
var packetLimits = func() (m struct {
	Providers map[string]PacketLimits `json:"providers"`
	Networks  map[string]PacketLimits `json:"networks"`
}) {
	if err := json.Unmarshal(packetLimitsJSON, &m); err != nil {
		panic("dispute: packetlimits.json: " + err.Error())
	}
	return m
}()

// ProviderPacketLimits are the limits of a provider type; ok is false for a provider that takes
// no files from us (the generic feed).
func ProviderPacketLimits(providerType string) (PacketLimits, bool) {
	l, ok := packetLimits.Providers[providerType]
	return l, ok
}

// NetworkPacketLimits are a card network's limits on evidence; ok is false for a network that
// sets none beyond its providers'.
func NetworkPacketLimits(network string) (PacketLimits, bool) {
	l, ok := packetLimits.Networks[network]
	return l, ok
}

// PacketFile is one file of the evidence a provider is sent, by the field it is staged under.
type PacketFile struct {
	Field       string
	Name        string
	ContentType string
	Size        int64
	Pages       int
}

// Check decides whether the files fit the provider, before anything is sent: each of a kind it
// takes and within its size for one file, all together within its total size and pages. It
// refuses with 422 evidence_packet_too_large (or unsupported_file_type), naming the field and
// saying which limit is passed and by how much.
func (l PacketLimits) Check(files []PacketFile) error {
	var total int64
	pages := 0
	for _, f := range files {
		param := "evidence." + f.Field
		if !slices.Contains(l.ContentTypes, f.ContentType) {
			return fault.Invalidf(fault.CodeUnsupportedFileType, param, "%s does not take %s files (%s, staged as %s): it takes %s",
				l.Name, f.ContentType, f.Name, f.Field, strings.Join(l.ContentTypes, ", "))
		}
		if l.MaxFileBytes > 0 && f.Size > l.MaxFileBytes {
			return packetTooLarge(param, "%s takes files of at most %s; %s (staged as %s) has %s, %s too many",
				l.Name, bytesFor(l.MaxFileBytes), f.Name, f.Field, bytesFor(f.Size), bytesFor(f.Size-l.MaxFileBytes))
		}
		total += f.Size
		pages += f.Pages
	}
	if l.MaxTotalBytes > 0 && total > l.MaxTotalBytes {
		return packetTooLarge("evidence", "%s takes at most %s of files with one dispute's evidence; these %d files have %s, %s too many",
			l.Name, bytesFor(l.MaxTotalBytes), len(files), bytesFor(total), bytesFor(total-l.MaxTotalBytes))
	}
	if l.MaxPages > 0 && pages > l.MaxPages {
		return packetTooLarge("evidence", "%s takes at most %d pages of files with one dispute's evidence; these %d files have %d, %d too many",
			l.Name, l.MaxPages, len(files), pages, pages-l.MaxPages)
	}
	return nil
}

func packetTooLarge(param, format string, args ...any) error {
	return fault.Invalidf(fault.CodeEvidencePacketTooLarge, param, format, args...)
}

// bytesFor is a size for people, in the decimal megabytes the providers state their limits in.
func bytesFor(n int64) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < 1000:
		return strconv.FormatInt(n, 10) + " bytes"
	}
	return fmt.Sprintf("%s MB (%d bytes)", strconv.FormatFloat(float64(n)/1e6, 'f', 2, 64), n)
}

// pdfPage matches a page object of a PDF (/Type /Page, not /Pages).
var pdfPage = regexp.MustCompile(`/Type\s*/Page([^s]|$)`)

// pdfCount matches the page count of a PDF's page tree.
var pdfCount = regexp.MustCompile(`/Count\s+(\d+)`)

// Pages is how many pages a file counts for against a provider's page limit: an image is one,
// a PDF its page objects (or, when they sit in compressed object streams, the largest page
// count of its page tree, which is the whole document's), and at least one.
func Pages(contentType string, data []byte) int {
	if contentType != "application/pdf" {
		return 1
	}
	n := len(pdfPage.FindAllIndex(data, -1))
	if n == 0 {
		for _, m := range pdfCount.FindAllSubmatch(data, -1) {
			if c, err := strconv.Atoi(string(m[1])); err == nil && c > n {
				n = c
			}
		}
	}
	if n == 0 && bytes.HasPrefix(data, []byte("%PDF")) {
		n = 1
	}
	return max(n, 1)
}
