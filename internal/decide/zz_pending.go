// Package decide is what fighting a dispute is worth; this file stands in for the decide
// helper's package until it is merged, with only the recommendation's shape.
package decide

// Recommendation is what to do with a dispute and why.
type Recommendation struct {
	Action        string // fight | accept | refund | "" none
	PWin          float64
	ExpectedValue int64 // minor units of Currency
	Currency      string
	Fees          Fees
	Basis         Basis
	Applies       bool
}

// Fees are the fees a dispute costs.
type Fees struct{}

// Basis says what the recommendation rests on.
type Basis struct{}
