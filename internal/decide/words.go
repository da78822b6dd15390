package decide

import (
	"fmt"
	"strings"

	"disputed/internal/money"
	"disputed/internal/reasoncode"
)

// basisText says in words what the recommendation rests on, for the dispute page.
func basisText(in Input, b Basis, pr prior, r Recommendation) string {
	var s strings.Builder
	kind := strings.TrimSpace(networkName(in.Network) + " " + strings.ReplaceAll(in.Category, "_", " "))
	if kind != "" {
		kind += " "
	}
	published := fmt.Sprintf("the published %s (%s %d)", percent(pr.PWin), pr.Source, pr.Year)
	if in.Won+in.Lost == 0 {
		fmt.Fprintf(&s, "None of your %sdisputes is decided yet: %s", kind, published)
	} else {
		fmt.Fprintf(&s, "%d won and %d lost of your %sdisputes, shrunk toward %s weighing as %g disputes: %s",
			in.Won, in.Lost, kind, published, b.PriorWeight, percent(b.History))
	}
	switch {
	case in.HasChecklist && in.Completeness > 0:
		fmt.Fprintf(&s, "; evidence %d %% complete raises it to %s", in.Completeness, percent(r.PWin))
	case in.HasChecklist:
		s.WriteString("; no evidence gathered yet to raise it")
	}
	s.WriteString(". ")
	c := in.Currency
	switch in.Type {
	case "alert":
		fmt.Fprintf(&s, "Not refunded, %s of alerts become chargebacks (%s), each costing %s and its %s fee less what fighting it is worth; keeping the sale is expected to gain %s over refunding it.",
			percent(b.ChargebackProbability), loadPriors().AlertToChargeback.Source, amount(in.Amount, c), amount(in.Fees.Dispute, c), amount(r.ExpectedValue, c))
	case "inquiry":
		fmt.Fprintf(&s, "Answering wins %s of %s; lost, it becomes a chargeback with a %s fee; with %s handling, answering is expected to gain %s over refunding.",
			percent(r.PWin), amount(in.Amount, c), amount(in.Fees.Dispute, c), amount(in.Fees.Handling, c), amount(r.ExpectedValue, c))
	default:
		fmt.Fprintf(&s, "Fighting wins %s of %s, risks the %s counter fee%s and costs %s handling: expected %s over accepting.",
			percent(r.PWin), amount(in.Amount, c), amount(in.Fees.Counter, c), refundedOnWin(in.Fees), amount(in.Fees.Handling, c), amount(r.ExpectedValue, c))
	}
	if in.Fees.Estimate {
		s.WriteString(" The fees are estimates.")
	}
	if in.Fees.Missing != "" {
		s.WriteString(" " + in.Fees.Missing)
	}
	return s.String()
}

func refundedOnWin(f Fees) string {
	if f.Counter == 0 || f.CounterRefundedOnWin {
		return ""
	}
	return " (kept even on a win)"
}

// networkName is the network's name in the catalogue (Visa), or its id when it has none.
func networkName(network string) string {
	for _, n := range reasoncode.Networks() {
		if n.Network == network {
			return n.Name
		}
	}
	return network
}

func percent(p float64) string {
	return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", 100*p), "0"), ".") + " %"
}

// amount writes minor units of currency as "USD 15.00"; a currency without known digits as its
// minor units.
func amount(minor int64, currency string) string {
	if d, err := money.FormatDecimal(minor, currency); err == nil {
		return currency + " " + d
	}
	return fmt.Sprintf("%d %s", minor, currency)
}
