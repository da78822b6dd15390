package httpapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/app"
	"disputed/internal/fault"
)

// PacketIn names the dispute whose packet is read.
type PacketIn struct {
	ID string `path:"id" maxLength:"64"`
}

// EvidencePacket describes a dispute's evidence packet: its letter, its exhibits, and whether it
// fits where it goes.
type EvidencePacket struct {
	CoverLetter        string           `json:"cover_letter" doc:"the letter that heads the packet: yours, or the draft"`
	CoverLetterEdited  bool             `json:"cover_letter_edited" doc:"true when the letter is yours (POST /v1/disputes/{id} cover_letter); false for the draft"`
	CoverLetterVersion string           `json:"cover_letter_version" doc:"the version of the letter templates the draft came from"`
	Pages              int              `json:"pages"`
	Bytes              int64            `json:"bytes"`
	Fits               bool             `json:"fits" doc:"within every limit below"`
	Limits             []PacketLimit    `json:"limits" doc:"the limits of the dispute's provider and card network"`
	Over               []string         `json:"over" doc:"each limit passed, in words"`
	Cut                []string         `json:"cut" doc:"the exhibits to cut (by mark) to fit, the heaviest first"`
	Exhibits           []PacketExhibits `json:"exhibits" doc:"the exhibits in order"`
	PDFURL             string           `json:"pdf_url" doc:"where the packet is downloaded"`
}

// PacketLimit is one limit a packet must fit.
type PacketLimit struct {
	Name     string `json:"name"`
	MaxPages int    `json:"max_pages,omitempty"`
	MaxBytes int64  `json:"max_bytes,omitempty"`
	Source   string `json:"source"`
}

// PacketExhibits is one exhibit of the packet.
type PacketExhibits struct {
	Mark      string `json:"mark" doc:"its letter: A, B, …"`
	Field     string `json:"field" doc:"the evidence field it shows"`
	Label     string `json:"label"`
	FirstPage int    `json:"first_page"`
	Pages     int    `json:"pages"`
	Bytes     int64  `json:"bytes" doc:"about what it adds to the packet"`
}

// EvidencePacketOut is the description of a packet.
type EvidencePacketOut struct{ Body EvidencePacket }

// PacketPDFOut is the packet as a PDF.
type PacketPDFOut struct {
	ContentType           string `header:"Content-Type"`
	ContentDisposition    string `header:"Content-Disposition"`
	XContentTypeOptions   string `header:"X-Content-Type-Options"`
	ContentSecurityPolicy string `header:"Content-Security-Policy"`
	CacheControl          string `header:"Cache-Control"`
	Body                  []byte
}

func (s *Server) getPacket(ctx context.Context, in *PacketIn) (*EvidencePacketOut, error) {
	p, err := s.app.DisputePacket(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	out := EvidencePacket{CoverLetter: p.Letter, CoverLetterEdited: p.LetterEdited, CoverLetterVersion: p.LetterVersion,
		Pages: p.Pages, Bytes: int64(len(p.PDF)), Fits: p.Fit.Fits(), Over: nonNilSlice(p.Fit.Over), Cut: []string{},
		Limits: []PacketLimit{}, Exhibits: []PacketExhibits{}, PDFURL: "/v1/disputes/" + in.ID + "/packet.pdf"}
	for _, l := range p.Fit.Limits {
		out.Limits = append(out.Limits, PacketLimit{Name: l.Name, MaxPages: l.MaxPages, MaxBytes: l.PacketBytes(), Source: l.Source})
	}
	for _, c := range p.Fit.Cut {
		out.Cut = append(out.Cut, c.Mark)
	}
	for _, e := range p.Exhibits {
		out.Exhibits = append(out.Exhibits, PacketExhibits{Mark: e.Mark, Field: e.Field, Label: e.Label, FirstPage: e.FirstPage, Pages: e.Pages, Bytes: e.Bytes})
	}
	return &EvidencePacketOut{Body: out}, nil
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// getPacketPDF answers the packet, or, when it would not fit where it goes, 422
// evidence_packet_too_large saying which limits it passes and which exhibits to cut.
func (s *Server) getPacketPDF(ctx context.Context, in *PacketIn) (*PacketPDFOut, error) {
	p, err := s.app.DisputePacket(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	if !p.Fit.Fits() {
		return nil, fault.Invalidf(fault.CodeEvidencePacketTooLarge, "evidence", "%s", tooLargeWords(p))
	}
	return &PacketPDFOut{ContentType: "application/pdf",
		ContentDisposition:  fmt.Sprintf(`inline; filename="%s-packet.pdf"`, in.ID),
		XContentTypeOptions: "nosniff", ContentSecurityPolicy: "sandbox", CacheControl: "private, no-store", Body: p.PDF}, nil
}

// tooLargeWords says why a packet does not fit and what to cut.
func tooLargeWords(p app.Packet) string {
	var cut []string
	for _, c := range p.Fit.Cut {
		cut = append(cut, fmt.Sprintf("exhibit %s (%s, %d pages, %d bytes)", c.Mark, c.Label, c.Pages, c.Bytes))
	}
	return strings.Join(p.Fit.Over, "; ") + ". To fit, cut or shorten " + strings.Join(cut, " and ") + "."
}

// packetPDFRoute registers the PDF download and documents its answer as a PDF.
func (s *Server) packetPDFRoute(o op) {
	register(s, o, s.getPacketPDF)
	ok := s.api.OpenAPI().Paths[o.path].Get.Responses["200"]
	ok.Description = "the packet: the cover letter, then every exhibit"
	ok.Content = map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}
}
