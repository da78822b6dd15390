package dispute

import (
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"disputed/internal/fault"
)

// MaxFileBytes bounds one evidence file: the largest file any provider we push to takes (PayPal,
// 10 MB) rounded up to 10 MiB; a file over a provider's own limit is refused when the packet is
// checked for that provider (PacketLimits).
const MaxFileBytes = 10 << 20

// FileKind is a kind of file accepted as evidence: its content type as sniffed, and its name
// for people.
type FileKind struct{ ContentType, Name string }

// FileKinds are the files accepted as evidence, told by their content: what the card networks
// and PayPal take (PDF, PNG, JPEG, GIF), WebP screenshots, and plain text (chat logs, e-mails).
// Nothing a browser would run (HTML, SVG) is among them.
var FileKinds = []FileKind{
	{"application/pdf", "PDF"}, {"image/png", "PNG"}, {"image/jpeg", "JPEG"}, {"image/gif", "GIF"},
	{"image/webp", "WebP"}, {"text/plain", "plain text"},
}

// maxFileName bounds a kept file name, in bytes.
const maxFileName = 200

// EvidenceFile is an uploaded file as it is kept: its name cleaned, its content type sniffed,
// and the item type that content makes it.
type EvidenceFile struct {
	Name        string
	ContentType string
	Type        ItemType
}

// CheckFile is the one rule for an evidence file, whoever uploads it and however (the API's
// multipart, the admin UI, the portal): not empty, at most MaxFileBytes, of a FileKind by its
// content; the type the client claims is never read. declared is the item type the client
// chose, if any: a file makes a file or image item (an image by its content), never text or a
// link. name is the name the client sent, kept without its folders and control characters.
//
// A refused file is 413 too_large or 415 unsupported_media_type or 422, each naming "file".
func CheckFile(declared ItemType, name string, data []byte) (EvidenceFile, error) {
	switch {
	case len(data) == 0:
		return EvidenceFile{}, fault.Invalidf(fault.CodeInvalidValue, "file", "the file is empty")
	case len(data) > MaxFileBytes:
		return EvidenceFile{}, fault.New(fault.TooLarge, fault.CodeTooLarge, "file", "evidence files are limited to 10 MiB; this one has %d bytes", len(data))
	}
	ct := SniffType(data)
	if !slices.ContainsFunc(FileKinds, func(k FileKind) bool { return k.ContentType == ct }) {
		return EvidenceFile{}, fault.New(fault.Unsupported, fault.CodeUnsupportedMediaType, "file",
			"this kind of file (%s by its content) is not accepted as evidence: send %s", ct, FileKindNames())
	}
	typ := ItemFile
	if IsImage(ct) {
		typ = ItemImage
	}
	switch declared {
	case "", ItemFile:
	case ItemImage:
		if typ != ItemImage {
			return EvidenceFile{}, fault.Invalidf(fault.CodeInvalidValue, "type", "the file is not an image (its content is %s): add it as a file", ct)
		}
	default:
		return EvidenceFile{}, fault.Invalidf(fault.CodeInvalidValue, "type", "only a file or image item takes a file")
	}
	return EvidenceFile{Name: CleanFileName(name), ContentType: ct, Type: typ}, nil
}

// SniffType is a file's content type told by its first bytes, without parameters.
func SniffType(data []byte) string {
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	return ct
}

// IsImage says whether a kept file is an image, to be shown as one.
func IsImage(contentType string) bool { return strings.HasPrefix(contentType, "image/") }

// ShownInline says whether a kept file may be opened in the browser rather than downloaded:
// images and PDF, which browsers show without running anything of the file's.
func ShownInline(contentType string) bool {
	return IsImage(contentType) || contentType == "application/pdf"
}

// FileKindNames lists the accepted kinds for people: "PDF, PNG, JPEG, GIF, WebP or plain text".
func FileKindNames() string {
	names := make([]string, len(FileKinds))
	for i, k := range FileKinds {
		names[i] = k.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// CleanFileName keeps the last element of a client's file name, without control characters, at
// most 200 bytes; "upload" when nothing is left.
func CleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	for len(name) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	// Trimmed after the cut, which may end the name on a space.
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." || name == "/" {
		name = "upload"
	}
	return name
}
