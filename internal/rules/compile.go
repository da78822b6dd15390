package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"disputed/internal/fault"
)

// Program is a rule's expression compiled against Env. It is safe for concurrent use.
type Program struct {
	program *vm.Program
}

// Compile checks and compiles a rule's expression: an unknown name, a type error (comparing
// amount to text) or an expression that is not true or false is refused with a fault on param
// "when" whose message starts with the line and column of the error ("1:8: …").
func Compile(when string) (Program, error) {
	if strings.TrimSpace(when) == "" {
		return Program{}, fault.Required("when")
	}
	if len(when) > MaxWhen {
		return Program{}, fault.Invalidf(fault.CodeInvalidValue, "when", "when is longer than %d characters", MaxWhen)
	}
	p, err := expr.Compile(when, expr.Env(Env{}), expr.AsBool())
	if err != nil {
		return Program{}, fault.Invalidf(fault.CodeInvalidValue, "when", "%s", Position(err))
	}
	return Program{program: p}, nil
}

// Position words an expression's error as "line:column: message", columns counted from 1; an
// error without a place (the expression as a whole is not true or false) is at 1:1.
func Position(err error) string {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return "1:1: " + err.Error()
	}
	line, col := fe.Line, fe.Column+1
	if fe.Snippet == "" { // not bound to a place in the source
		line, col = 1, 1
	}
	return fmt.Sprintf("%d:%d: %s", line, col, fe.Message)
}

// Match reports whether the expression holds for env. An evaluation that fails (comparing a nil
// value) does not match; its error says why, for the caller to show.
func (p Program) Match(env *Env) (bool, error) {
	out, err := expr.Run(p.program, env)
	if err != nil {
		return false, errors.New(Position(err))
	}
	return out.(bool), nil
}
