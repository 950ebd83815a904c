package api

import (
	"math"
	"strings"
	"testing"
)

// Expected values are what node 20 prints for the same input.
func TestJSNumberMatchesJavaScript(t *testing.T) {
	for in, want := range map[float64]string{
		0:                       "0",
		math.Copysign(0, -1):    "0",
		1:                       "1",
		-1.5:                    "-1.5",
		10.0:                    "10",
		100:                     "100",
		0.1:                     "0.1",
		1e21:                    "1e+21",
		1e20:                    "100000000000000000000",
		1.2345678901234568e20:   "123456789012345680000",
		12345678901234567890:    "12345678901234567000",
		1e-6:                    "0.000001",
		1e-7:                    "1e-7",
		1.23e-18:                "1.23e-18",
		5e-324:                  "5e-324",
		1.7976931348623157e308:  "1.7976931348623157e+308",
		-2.5e-8:                 "-2.5e-8",
		123.456:                 "123.456",
		0.000123:                "0.000123",
		math.Inf(1):             "null",
		9007199254740993:        "9007199254740992",
		4.35:                    "4.35",
		0.30000000000000004:     "0.30000000000000004",
		1e300 * 10:              "1e+301",
		float64(1<<53) * 1024.0: "9223372036854776000",
	} {
		if got := jsNumber(in); got != want {
			t.Errorf("jsNumber(%v) = %s, want %s", in, got, want)
		}
	}
}

func TestNormalizeJSONIsStringifyOfParse(t *testing.T) {
	for in, want := range map[string]string{
		`{"b":1,"2":2,"a":3,"1":4}`:       `{"1":4,"2":2,"b":1,"a":3}`,
		`{"a":1,"b":2,"a":3}`:             `{"a":3,"b":2}`,
		`{"01":1,"4294967295":2,"7":3}`:   `{"7":3,"01":1,"4294967295":2}`,
		` [ 1.0 , 1e3, -0, true, null ] `: `[1,1000,0,true,null]`,
		`"<&>\u2028\/"`:                   "\"<&>\u2028/\"",
		`"\u0001\u001f\b\f\n\r\t\"\\"`:    `"\u0001\u001f\b\f\n\r\t\"\\"`,
		`{"n":{"deep":[{"x":"y"}]}}`:      `{"n":{"deep":[{"x":"y"}]}}`,
		`12345678901234567890`:            `12345678901234567000`,
		`1e400`:                           `null`,
		`"Zo\u00eb"`:                      `"Zoë"`,
	} {
		got, err := normalizeJSON([]byte(in))
		if err != nil {
			t.Errorf("normalizeJSON(%s): %v", in, err)
			continue
		}
		if string(got) != want {
			t.Errorf("normalizeJSON(%s) = %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a":}`, `[1,]`, `1 2`, `{"a":1}x`, strings.Repeat("[", 100) + strings.Repeat("]", 100)} {
		if _, err := normalizeJSON([]byte(bad)); err == nil {
			t.Errorf("normalizeJSON(%q) accepted invalid or too deep JSON", bad)
		}
	}
}

func TestObjectFollowsJavaScriptAssignment(t *testing.T) {
	o := newObject()
	o.set("client_id", jsString("a"))
	o.set("grant_type", jsString("password"))
	o.set("secret", undefinedValue())
	user := newObject()
	user.set("username", jsString("jane"))
	user.set("grant_type", jsString("custom"))
	o.spread(user)
	o.set("realm", jsString("db"))
	if got, want := string(o.json()), `{"client_id":"a","grant_type":"custom","username":"jane","realm":"db"}`; got != want {
		t.Errorf("json = %s, want %s", got, want)
	}
	if got, want := string(o.form()), `client_id=a&grant_type=custom&username=jane&realm=db`; got != want {
		t.Errorf("form = %s, want %s", got, want)
	}
	nested := newObject()
	nested.set("authParams", jsValue{raw: []byte(`{"scope":"openid email"}`)})
	nested.set("n", jsValue{raw: []byte(`5`)})
	nested.set("s", jsString("a b&c=d"))
	if got, want := string(nested.form()), `authParams=%7B%22scope%22%3A%22openid+email%22%7D&n=5&s=a+b%26c%3Dd`; got != want {
		t.Errorf("form = %s, want %s", got, want)
	}
}

func TestTruthinessAndBlankness(t *testing.T) {
	for raw, truthy := range map[string]bool{`""`: false, `0`: false, `false`: false, `null`: false, `" "`: true, `1`: true, `{}`: true, `[]`: true, `"0"`: true} {
		if got := (jsValue{raw: []byte(raw)}).truthy(); got != truthy {
			t.Errorf("truthy(%s) = %v", raw, got)
		}
	}
	if undefinedValue().truthy() || undefinedValue().nonBlank() {
		t.Error("undefined is falsy and blank")
	}
	for raw, nb := range map[string]bool{`" \t\n\u00a0\ufeff"`: false, `"x"`: true, `5`: false, `" x "`: true} {
		if got := (jsValue{raw: []byte(raw)}).nonBlank(); got != nb {
			t.Errorf("nonBlank(%s) = %v, want %v", raw, got, nb)
		}
	}
}
