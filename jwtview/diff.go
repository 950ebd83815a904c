package jwtview

import (
	"encoding/json"
	"math/big"
	"strings"
	"time"
)

// Change is how a claim differs between two tokens.
type Change int

// The changes, from none to a new value.
const (
	Same Change = iota
	Added
	Removed
	Changed
)

func (c Change) String() string {
	switch c {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Changed:
		return "changed"
	}
	return "same"
}

// Mark is the one-character sign of the change: = + - ~.
func (c Change) Mark() string {
	return [...]string{"=", "+", "-", "~"}[c]
}

// ClaimDiff is one claim of two tokens compared. Name, Before and After are
// escaped for a terminal; Before and After are compact JSON, empty where the
// token lacks the claim.
type ClaimDiff struct {
	Name          string
	Change        Change
	Before, After string
}

// DiffClaims compares the claims of a (the older token) with those of b:
// every claim of a in a's order (same, changed or removed), then the claims
// only b has in b's order (added). Values are compared as JSON values: the
// order of an object's members does not matter, numbers compare by value
// (1 and 1.0 are the same).
func DiffClaims(a, b Object) []ClaimDiff {
	out := make([]ClaimDiff, 0, max(len(a), len(b)))
	for _, m := range a {
		d := ClaimDiff{Name: escapeText(m.Name), Before: string(appendJSON(nil, m.Value))}
		if v, ok := b.Get(m.Name); ok {
			d.After = string(appendJSON(nil, v))
			if !equalJSON(m.Value, v) {
				d.Change = Changed
			}
		} else {
			d.Change = Removed
		}
		out = append(out, d)
	}
	for _, m := range b {
		if _, ok := a.Get(m.Name); !ok {
			out = append(out, ClaimDiff{Name: escapeText(m.Name), Change: Added, After: string(appendJSON(nil, m.Value))})
		}
	}
	return out
}

// equalJSON compares two decoded JSON values (nil, bool, json.Number,
// string, []any, Object).
func equalJSON(x, y any) bool {
	switch x := x.(type) {
	case nil:
		return y == nil
	case bool:
		yb, ok := y.(bool)
		return ok && x == yb
	case string:
		ys, ok := y.(string)
		return ok && x == ys
	case json.Number:
		yn, ok := y.(json.Number)
		if !ok {
			return false
		}
		if x == yn {
			return true
		}
		// Exact decimal comparison: 1, 1.0 and 1e0 are one number, and
		// two large integers a float64 cannot tell apart stay apart.
		fx, okx := new(big.Float).SetPrec(512).SetString(string(x))
		fy, oky := new(big.Float).SetPrec(512).SetString(string(y.(json.Number)))
		return okx && oky && fx.Cmp(fy) == 0
	case []any:
		ya, ok := y.([]any)
		if !ok || len(x) != len(ya) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], ya[i]) {
				return false
			}
		}
		return true
	case Object:
		yo, ok := y.(Object)
		if !ok || len(x) != len(yo) {
			return false
		}
		for _, m := range x {
			v, ok := yo.Get(m.Name)
			if !ok || !equalJSON(m.Value, v) {
				return false
			}
		}
		return true
	}
	return false
}

// Validity is when a token was issued (iat) and when it expires (exp), as
// far as its claims say: a claim that is missing or not a real date is not
// known.
type Validity struct {
	IssuedAt, ExpiresAt   time.Time
	HasIssued, HasExpires bool
}

// ValidityOf reads iat and exp from a token's claims.
func ValidityOf(claims Object) Validity {
	var v Validity
	if x, ok := claims.Get("iat"); ok {
		if f, bad := dateValue("iat", x); bad == "" {
			v.IssuedAt, v.HasIssued = TimeOf(f)
		}
	}
	if x, ok := claims.Get("exp"); ok {
		if f, bad := dateValue("exp", x); bad == "" {
			v.ExpiresAt, v.HasExpires = TimeOf(f)
		}
	}
	return v
}

// Lifetime is exp less iat, when both are known.
func (v Validity) Lifetime() (time.Duration, bool) {
	if !v.HasIssued || !v.HasExpires {
		return 0, false
	}
	return v.ExpiresAt.Sub(v.IssuedAt), true
}

// Expired reports whether the token has an exp and it has passed at now
// (a token is good until, not at, its exp).
func (v Validity) Expired(now time.Time) bool {
	return v.HasExpires && !now.Before(v.ExpiresAt)
}

// LifetimeDiff compares the validity of two tokens: Before is the older's.
type LifetimeDiff struct {
	Before, After Validity
}

// DiffLifetime compares the validity of a (the older token) with b's.
func DiffLifetime(a, b Object) LifetimeDiff {
	return LifetimeDiff{Before: ValidityOf(a), After: ValidityOf(b)}
}

// Summary says in one line how the lifetime changed, e.g. "lifetime 1h →
// 24h (23h longer); issued 10m later; expires 23h 10m later".
func (d LifetimeDiff) Summary() string {
	var parts []string
	lb, okb := d.Before.Lifetime()
	la, oka := d.After.Lifetime()
	switch {
	case okb && oka && lb == la:
		parts = append(parts, "lifetime "+humanDuration(la)+", as before")
	case okb && oka:
		more := "longer"
		if la < lb {
			more = "shorter"
		}
		parts = append(parts, "lifetime "+humanDuration(lb)+" → "+humanDuration(la)+" ("+humanDuration(la-lb)+" "+more+")")
	case oka:
		parts = append(parts, "lifetime "+humanDuration(la)+" (the older token's is not known)")
	case okb:
		parts = append(parts, "lifetime was "+humanDuration(lb)+" (the newer token's is not known)")
	}
	moved := func(what string, hasB, hasA bool, b, a time.Time) {
		switch {
		case hasB && hasA:
			switch delta := a.Sub(b); {
			case delta == 0:
				parts = append(parts, what+" at the same time")
			case delta > 0:
				parts = append(parts, what+" "+humanDuration(delta)+" later")
			default:
				parts = append(parts, what+" "+humanDuration(delta)+" earlier")
			}
		case hasB:
			parts = append(parts, "the newer token has no "+map[string]string{"issued": "iat", "expires": "exp"}[what])
		case hasA:
			parts = append(parts, "the older token had no "+map[string]string{"issued": "iat", "expires": "exp"}[what])
		}
	}
	moved("issued", d.Before.HasIssued, d.After.HasIssued, d.Before.IssuedAt, d.After.IssuedAt)
	moved("expires", d.Before.HasExpires, d.After.HasExpires, d.Before.ExpiresAt, d.After.ExpiresAt)
	if len(parts) == 0 {
		return "neither token says when it was issued or when it expires"
	}
	return strings.Join(parts, "; ")
}

// humanDuration is d (sign dropped) in the form the view uses: "1h 5m",
// "23m 10s", "3d 2h".
func humanDuration(d time.Duration) string {
	return humanSeconds(d.Seconds())
}
