package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// EvidenceJSON appends a text, link, image or file item given inline.
type EvidenceJSON struct {
	Type        string `json:"type" enum:"text,image,file,link"`
	Content     string `json:"content" doc:"the text, the link, or for image and file the content as a data reference"`
	Description string `json:"description,omitempty" maxLength:"1000"`
	Revision    *int64 `json:"revision,omitempty"`
}

// EvidenceIn is either JSON (EvidenceJSON) or multipart/form-data with the fields of EvidenceJSON
// and a "file" part; it is read by hand because one operation takes both.
type EvidenceIn struct {
	ID          string `path:"id" maxLength:"64"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte
}

// EvidenceOut answers with the new item and the dispute after it.
type EvidenceOut struct {
	Body struct {
		EvidenceItem
		DisputeRevision int64  `json:"dispute_revision"`
		DisputeStatus   string `json:"dispute_status"`
	}
}

// EvidenceListIn reads a page of a dispute's evidence items.
type EvidenceListIn struct {
	ID string `path:"id" maxLength:"64"`
	PageQuery
}

// EvidenceListOut lists evidence items, oldest first.
type EvidenceListOut struct{ Body List[EvidenceItem] }

func (s *Server) evidenceRequestBody() *huma.RequestBody {
	reg := s.api.OpenAPI().Components.Schemas
	js := reg.Schema(reflect.TypeFor[EvidenceJSON](), true, "EvidenceJSON")
	form := &huma.Schema{Type: "object", Properties: map[string]*huma.Schema{
		"type":        {Type: "string", Enum: []any{"text", "image", "file", "link"}},
		"content":     {Type: "string"},
		"description": {Type: "string"},
		"revision":    {Type: "integer"},
		"file":        {Type: "string", ContentEncoding: "binary", Description: "the file, up to 10 MiB: " + dispute.FileKindNames() + ", told by its content (the part's Content-Type is not read); an image makes an image item"},
	}, Required: []string{"type"}}
	return &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"application/json":    {Schema: js},
		"multipart/form-data": {Schema: form},
	}}
}

func (s *Server) addEvidence(ctx context.Context, in *EvidenceIn) (*EvidenceOut, error) {
	p, rev, err := readEvidence(in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	item, d, err := s.app.AddEvidence(ctx, who(ctx), in.ID, rev, p)
	if err != nil {
		return nil, err
	}
	out := &EvidenceOut{}
	out.Body.EvidenceItem = evidenceOut(item)
	out.Body.DisputeRevision, out.Body.DisputeStatus = d.Revision, string(d.Status)
	return out, nil
}

func (s *Server) listEvidence(ctx context.Context, in *EvidenceListIn) (*EvidenceListOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	items, more, err := s.app.Evidence(ctx, who(ctx), in.ID, page)
	if err != nil {
		return nil, err
	}
	return &EvidenceListOut{Body: listOf(items, more, evidenceOut, func(it dispute.EvidenceItem) (time.Time, string) { return it.CreatedAt, it.ID })}, nil
}

// readEvidence reads an evidence item from a JSON or multipart body; its text must be storable.
func readEvidence(contentType string, body []byte) (app.EvidenceParams, *int64, error) {
	p, rev, err := readEvidenceBody(contentType, body)
	if err != nil {
		return p, rev, err
	}
	for _, f := range []struct{ name, value string }{{"type", p.Type}, {"content", p.Content}, {"description", p.Description},
		{"file", p.FileName}} {
		if !storable(f.value) {
			return app.EvidenceParams{}, nil, textError(http.StatusUnprocessableEntity, fault.CodeInvalidValue, f.name)
		}
	}
	return p, rev, nil
}

func readEvidenceBody(contentType string, body []byte) (app.EvidenceParams, *int64, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "", "application/json":
		if int64(len(body)) > largeJSON {
			return app.EvidenceParams{}, nil, bodyTooLarge(largeJSON)
		}
		var e EvidenceJSON
		if err := decodeStrict(body, &e); err != nil {
			return app.EvidenceParams{}, nil, err
		}
		return app.EvidenceParams{Type: e.Type, Content: e.Content, Description: e.Description}, e.Revision, nil
	case "multipart/form-data":
		return readEvidenceForm(body, params["boundary"])
	}
	return app.EvidenceParams{}, nil, newAPIError(http.StatusUnsupportedMediaType, fault.CodeUnsupportedMediaType, "", "send application/json or multipart/form-data")
}

func readEvidenceForm(body []byte, boundary string) (app.EvidenceParams, *int64, error) {
	bad := func(msg string) error {
		return newAPIError(http.StatusBadRequest, fault.CodeMalformedRequest, "", msg)
	}
	if boundary == "" {
		return app.EvidenceParams{}, nil, bad("multipart body without a boundary")
	}
	form, err := multipart.NewReader(bytes.NewReader(body), boundary).ReadForm(dispute.MaxFileBytes)
	if err != nil {
		return app.EvidenceParams{}, nil, bad("unreadable multipart body: " + err.Error())
	}
	defer func() { _ = form.RemoveAll() }()
	var p app.EvidenceParams
	var rev *int64
	for name, vs := range form.Value {
		v := strings.Join(vs, "")
		switch name {
		case "type":
			p.Type = v
		case "content":
			p.Content = v
		case "description":
			p.Description = v
		case "revision":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return app.EvidenceParams{}, nil, newAPIError(http.StatusBadRequest, fault.CodeInvalidType, "revision", "revision must be an integer")
			}
			rev = &n
		default:
			return app.EvidenceParams{}, nil, unknownField(name)
		}
	}
	for name, files := range form.File {
		if name != "file" || len(files) != 1 {
			return app.EvidenceParams{}, nil, newAPIError(http.StatusBadRequest, fault.CodeUnknownField, quoteEmpty(name), "send one file, in the part named file")
		}
		f, err := files[0].Open()
		if err != nil {
			return app.EvidenceParams{}, nil, bad("unreadable file part")
		}
		// One byte past the largest file taken is enough for dispute.CheckFile to refuse it.
		p.File, err = io.ReadAll(io.LimitReader(f, dispute.MaxFileBytes+1))
		_ = f.Close()
		if err != nil {
			return app.EvidenceParams{}, nil, bad("unreadable file part")
		}
		// The part's Content-Type is the client's claim: what the file is, is told by its
		// content when it is added.
		p.FileName = files[0].Filename
	}
	return p, rev, nil
}

// decodeStrict reads JSON the way huma does for every other route: unknown fields and wrong
// types are 400 naming the field.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return wrongType(te.Field, "expected "+jsonType(te.Type))
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field = strings.Trim(field, `"`)
		return unknownField(field)
	}
	return newAPIError(http.StatusBadRequest, fault.CodeMalformedJSON, "", "the body is not valid JSON: "+err.Error())
}
