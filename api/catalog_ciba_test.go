package api

import (
	"strings"
	"testing"
)

// TestCIBALoginHintFromUserID: backchannel.authorize builds Auth0's iss_sub
// login_hint from userId with the tenant as issuer, form-encoded, and a raw
// login_hint goes as given.
func TestCIBALoginHintFromUserID(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "CID", ClientSecret: "S"}
	op := ByName("backchannel.authorize")
	req, err := c.Build(op, Values{Fields: []Value{String("userId", "auth0|abc"), String("scope", "openid"), String("binding_message", "Order 1")}})
	if err != nil {
		t.Fatal(err)
	}
	want := "login_hint=%7B%22format%22%3A%22iss_sub%22%2C%22iss%22%3A%22https%3A%2F%2Ftenant.example.com%2F%22%2C%22sub%22%3A%22auth0%7Cabc%22%7D"
	if body := string(req.Body); !strings.Contains(body, want) || strings.Contains(body, "userId") || req.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("body %s (%s), want %s and no userId", body, req.ContentType, want)
	}
	req, err = c.Build(op, Values{Fields: []Value{String("login_hint", `{"format":"iss_sub","iss":"https://id.example.com/","sub":"x"}`), String("scope", "openid"), String("binding_message", "m")}})
	if err != nil || !strings.Contains(string(req.Body), "id.example.com") {
		t.Errorf("raw login_hint: %v %s", err, req.Body)
	}
	if _, err := c.Build(op, Values{Fields: []Value{String("scope", "openid"), String("binding_message", "m")}}); err == nil || !strings.Contains(err.Error(), "userId") {
		t.Errorf("no user: %v, want a refusal naming userId", err)
	}
}
