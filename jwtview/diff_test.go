package jwtview

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func diffNum(s string) json.Number { return json.Number(s) }

func TestDiffClaims(t *testing.T) {
	for _, c := range []struct {
		name string
		a, b Object
		want []ClaimDiff
	}{
		{"both empty", nil, nil, []ClaimDiff{}},
		{"same", Object{{"sub", "auth0|1"}, {"iat", diffNum("100")}}, Object{{"sub", "auth0|1"}, {"iat", diffNum("100")}},
			[]ClaimDiff{{"sub", Same, `"auth0|1"`, `"auth0|1"`}, {"iat", Same, "100", "100"}}},
		{"changed, removed, added in order", Object{{"iat", diffNum("100")}, {"sid", "a"}, {"exp", diffNum("200")}}, Object{{"exp", diffNum("300")}, {"iat", diffNum("150")}, {"scope", "openid"}},
			[]ClaimDiff{{"iat", Changed, "100", "150"}, {"sid", Removed, `"a"`, ""}, {"exp", Changed, "200", "300"}, {"scope", Added, "", `"openid"`}}},
		{"numbers by value", Object{{"n", diffNum("1")}, {"big", diffNum("9007199254740993")}}, Object{{"n", diffNum("1.0e0")}, {"big", diffNum("9007199254740992")}},
			[]ClaimDiff{{"n", Same, "1", "1.0e0"}, {"big", Changed, "9007199254740993", "9007199254740992"}}},
		{"object member order does not matter", Object{{"o", Object{{"a", diffNum("1")}, {"b", []any{"x", true, nil}}}}}, Object{{"o", Object{{"b", []any{"x", true, nil}}, {"a", diffNum("1")}}}},
			[]ClaimDiff{{"o", Same, `{"a":1,"b":["x",true,null]}`, `{"b":["x",true,null],"a":1}`}}},
		{"array order matters, types matter", Object{{"aud", []any{"x", "y"}}, {"v", "1"}}, Object{{"aud", []any{"y", "x"}}, {"v", diffNum("1")}},
			[]ClaimDiff{{"aud", Changed, `["x","y"]`, `["y","x"]`}, {"v", Changed, `"1"`, "1"}}},
		{"names and values escaped", Object{{"a\x1b[31m", "x\x07"}}, nil,
			[]ClaimDiff{{`a\x1b[31m`, Removed, `"x\u0007"`, ""}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := DiffClaims(c.a, c.b)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("DiffClaims =\n%+v\nwant\n%+v", got, c.want)
			}
		})
	}
}

func TestDiffLifetime(t *testing.T) {
	at := func(iat, exp string) Object {
		var o Object
		if iat != "" {
			o = append(o, Member{"iat", diffNum(iat)})
		}
		if exp != "" {
			o = append(o, Member{"exp", diffNum(exp)})
		}
		return o
	}
	for _, c := range []struct {
		name string
		a, b Object
		want string
	}{
		{"refreshed later, same lifetime", at("1000", "4600"), at("1600", "5200"),
			"lifetime 1h, as before; issued 10m later; expires 10m later"},
		{"longer", at("1000", "4600"), at("1000", "87400"),
			"lifetime 1h → 1d (23h longer); issued at the same time; expires 23h later"},
		{"shorter, earlier", at("1000", "87400"), at("400", "4000"),
			"lifetime 1d → 1h (23h shorter); issued 10m earlier; expires 23h 10m earlier"},
		{"new one lacks exp", at("1000", "4600"), at("1000", ""),
			"lifetime was 1h (the newer token's is not known); issued at the same time; the newer token has no exp"},
		{"old one lacks iat", at("", "4600"), at("1000", "4600"),
			"lifetime 1h (the older token's is not known); the older token had no iat; expires at the same time"},
		{"a bad exp is not known", Object{{"iat", diffNum("1000")}, {"exp", "soon"}}, at("1000", "4600"),
			"lifetime 1h (the older token's is not known); issued at the same time; the older token had no exp"},
		{"none", nil, Object{{"sub", "x"}}, "neither token says when it was issued or when it expires"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := DiffLifetime(c.a, c.b).Summary(); got != c.want {
				t.Errorf("Summary = %q\nwant      %q", got, c.want)
			}
		})
	}
}

func TestValidityExpired(t *testing.T) {
	v := ValidityOf(Object{{"iat", diffNum("1000")}, {"exp", diffNum("2000")}})
	for _, c := range []struct {
		now  int64
		want bool
	}{{1999, false}, {2000, true}, {2001, true}} {
		if got := v.Expired(time.Unix(c.now, 0)); got != c.want {
			t.Errorf("Expired at %d = %v, want %v", c.now, got, c.want)
		}
	}
	if (Validity{}).Expired(time.Unix(1<<40, 0)) {
		t.Error("a token without exp reads as expired")
	}
	if l, ok := v.Lifetime(); !ok || l != 1000*time.Second {
		t.Errorf("Lifetime = %v, %v", l, ok)
	}
}
