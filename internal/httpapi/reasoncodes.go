package httpapi

import (
	"context"
	"slices"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/reasoncode"
)

// ReasonCode is a reason code of the catalogue: what it is and what wins it.
type ReasonCode struct {
	Object           string   `json:"object" enum:"reason_code"`
	Network          string   `json:"network" enum:"visa,mastercard,amex,discover,paypal,stripe"`
	Code             string   `json:"code" doc:"as the network writes it: 10.4, 4853, C08, UA02, MERCHANDISE_OR_SERVICE_NOT_RECEIVED, fraudulent"`
	Aliases          []string `json:"aliases" doc:"other codes for the same reason (Discover's numeric codes)"`
	Name             string   `json:"name"`
	Category         string   `json:"category" enum:"fraud,authorization,processing_error,consumer_dispute,request,compliance"`
	EvidenceCategory string   `json:"evidence_category" doc:"Stripe's bucket for it, which decides the evidence asked for: credit_not_processed, duplicate, fraudulent, general, product_not_received, product_unacceptable, subscription_canceled, unrecognized, noncompliant"`
	ResponseDays     int      `json:"response_days" doc:"the network's clock in days, a fallback: the provider's due date always decides; 0 when only the provider's does"`
	Winnable         string   `json:"winnable" enum:"no,procedural,hard,yes" doc:"no: no recourse; procedural: only a procedural fact wins; hard: fraud without a liability shift; yes: routinely won with documents"`
	Evidence         []string `json:"evidence" doc:"the evidence fields (Stripe's names) that win it"`
	EvidenceWords    string   `json:"evidence_words" doc:"what wins it, in words, including what has no field"`
	Sources          []string `json:"sources" doc:"where the facts come from: tags of the catalogue's sources"`
	Version          string   `json:"catalogue_version" doc:"the catalogue's version: the date of the research it was written from"`
}

func reasonCodeOut(e reasoncode.Entry) ReasonCode {
	return ReasonCode{Object: "reason_code", Network: e.Network, Code: e.Code, Aliases: list(e.Aliases), Name: e.Name,
		Category: string(e.Category), EvidenceCategory: e.EvidenceCategory, ResponseDays: e.ResponseDays, Winnable: e.Winnable,
		Evidence: list(e.Evidence), EvidenceWords: e.EvidenceWords, Sources: list(e.Sources), Version: reasoncode.Version()}
}

// ReasonCodesQuery filters the catalogue.
type ReasonCodesQuery struct {
	Network  string `query:"network" maxLength:"32" doc:"visa, mastercard, amex, discover, paypal or stripe"`
	Category string `query:"category" maxLength:"32" doc:"fraud, authorization, processing_error, consumer_dispute, request or compliance"`
}

// ReasonCodesOut is the catalogue, or its part the query asks for, in the catalogue's order.
type ReasonCodesOut struct{ Body List[ReasonCode] }

func (s *Server) listReasonCodes(_ context.Context, in *ReasonCodesQuery) (*ReasonCodesOut, error) {
	if in.Network != "" && !slices.ContainsFunc(reasoncode.Networks(), func(n reasoncode.Network) bool { return n.Network == in.Network }) {
		return nil, fault.Invalidf(fault.CodeInvalidValue, "network", "unknown network %q; expected visa, mastercard, amex, discover, paypal or stripe", in.Network)
	}
	if in.Category != "" && !reasoncode.Category(in.Category).Valid() {
		return nil, fault.Invalidf(fault.CodeInvalidValue, "category",
			"unknown category %q; expected fraud, authorization, processing_error, consumer_dispute, request or compliance", in.Category)
	}
	out := List[ReasonCode]{Object: "list", Data: []ReasonCode{}}
	for _, e := range reasoncode.List(in.Network, reasoncode.Category(in.Category)) {
		out.Data = append(out.Data, reasonCodeOut(e))
	}
	return &ReasonCodesOut{Body: out}, nil
}

// classifyReason fills a dispute's network and reason fields from the catalogue, and returns
// what the catalogue said.
func classifyReason(out *Dispute, d dispute.Dispute) reasoncode.Classification {
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	out.Network, out.ReasonCategory = opt(c.Network), opt(string(c.Category))
	if c.Entry != nil {
		out.ReasonCodeName = opt(c.Entry.Name)
	}
	if d.NetworkReasonCode != "" {
		out.ReasonCodeKnown = ptr(!c.Unknown)
	}
	return c
}
