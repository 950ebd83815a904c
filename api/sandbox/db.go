package sandbox

import (
	"html"
	"net/http"
	"net/mail"
	"strings"
	"unicode"
)

// passwordRules is Auth0's "fair" password policy in its
// PasswordStrengthError shape: at least 8 characters, with lower case,
// upper case and numbers.
func passwordRules(pw string) (map[string]any, bool) {
	var lower, upper, digit bool
	for _, r := range pw {
		lower = lower || unicode.IsLower(r)
		upper = upper || unicode.IsUpper(r)
		digit = digit || unicode.IsDigit(r)
	}
	length := len([]rune(pw)) >= 8
	contains := lower && upper && digit
	ok := length && contains
	return map[string]any{
		"rules": []any{
			map[string]any{"message": "At least %d characters in length", "format": []int{8}, "code": "lengthAtLeast", "verified": length},
			map[string]any{"message": "Should contain:", "code": "shouldContain", "verified": contains, "items": []any{
				map[string]any{"message": "lower case letters (a-z)", "code": "lowerCase", "verified": lower},
				map[string]any{"message": "upper case letters (A-Z)", "code": "upperCase", "verified": upper},
				map[string]any{"message": "numbers (i.e. 0-9)", "code": "numbers", "verified": digit},
			}},
		},
		"verified": ok,
	}, ok
}

func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	if p.str("client_id") == "" {
		dbError(w, http.StatusBadRequest, "BadRequestError", "invalid_body", "Missing required property: client_id")
		return
	}
	s.mu.Lock()
	c := s.clients[p.str("client_id")]
	s.mu.Unlock()
	if c == nil {
		dbError(w, http.StatusUnauthorized, "UnauthorizedError", "unauthorized", "Unknown client: "+p.str("client_id"))
		return
	}
	for _, f := range []string{"email", "password", "connection"} {
		if strings.TrimSpace(p.str(f)) == "" {
			dbError(w, http.StatusBadRequest, "BadRequestError", "invalid_body", "Missing required property: "+f)
			return
		}
	}
	conn, email := p.str("connection"), strings.ToLower(strings.TrimSpace(p.str("email")))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || addr.Name != "" {
		dbError(w, http.StatusBadRequest, "BadRequestError", "invalid_signup", "Invalid sign up: email is not valid")
		return
	}
	rules, strong := passwordRules(p.str("password"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.connections[conn] != "database" {
		dbError(w, http.StatusBadRequest, "BadRequestError", "connection_not_found", "connection not found")
		return
	}
	if s.findUserLocked(conn, email) != nil || (p.str("username") != "" && s.findUserLocked(conn, p.str("username")) != nil) {
		dbError(w, http.StatusBadRequest, "BadRequestError", "user_exists", "The user already exists.")
		return
	}
	if !strong {
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"name": "PasswordStrengthError", "message": "Password is too weak", "code": "invalid_password",
			"description": rules, "statusCode": 400, "policy": "* At least 8 characters in length\n* Should contain:\n  * lower case letters (a-z)\n  * upper case letters (A-Z)\n  * numbers (i.e. 0-9)",
		})
		return
	}
	u := s.addUserLocked(&User{Connection: conn, Email: email, Username: p.str("username"),
		GivenName: p.str("given_name"), FamilyName: p.str("family_name"), Name: p.str("name"),
		Nickname: p.str("nickname"), Picture: p.str("picture"), UserMetadata: p.obj("user_metadata")}, p.str("password"))
	out := map[string]any{"_id": strings.TrimPrefix(u.ID, "auth0|"), "email_verified": false, "email": u.Email}
	for _, k := range []string{"username", "given_name", "family_name", "name", "nickname", "picture"} {
		if v := p.str(k); v != "" {
			out[k] = v
		}
	}
	if u.UserMetadata != nil {
		out["user_metadata"] = u.UserMetadata
	}
	s.mailLocked(Message{Kind: KindVerifyEmail, To: u.Email, Subject: "Verify your email",
		Body: "Welcome! Please verify your account by opening the link.", Link: s.BaseURL + "/lo/verify?user=" + u.ID})
	writeJSON(w, http.StatusOK, out)
}

// handleChangePassword sends the reset mail to the outbox. As Auth0 does, it
// answers the same whether or not the user exists, and no longer sets a
// password given in the body.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	for _, f := range []string{"email", "connection"} {
		if strings.TrimSpace(p.str(f)) == "" {
			dbError(w, http.StatusBadRequest, "BadRequestError", "invalid_body", "Missing required property: "+f)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cid := p.str("client_id"); cid != "" && s.clients[cid] == nil {
		dbError(w, http.StatusUnauthorized, "UnauthorizedError", "unauthorized", "Unknown client: "+cid)
		return
	}
	if s.connections[p.str("connection")] != "database" {
		dbError(w, http.StatusBadRequest, "BadRequestError", "connection_not_found", "connection not found")
		return
	}
	if u := s.findUserLocked(p.str("connection"), p.str("email")); u != nil {
		ticket := s.token(32)
		s.tickets[ticket] = u.ID
		s.mailLocked(Message{Kind: KindChangePassword, To: u.Email, Subject: "Reset your password",
			Body: "We received a request to reset your password. Open the link to choose a new one.",
			Link: s.BaseURL + "/lo/reset?ticket=" + ticket})
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("We've just sent you an email to reset your password."))
}

// handleReset is the page the reset mail links to: GET shows a form, POST
// sets the new password (same policy as sign-up).
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	ticket := r.FormValue("ticket")
	s.mu.Lock()
	uid := s.tickets[ticket]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if uid == "" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<p>This password reset link is invalid or was already used.</p>"))
		return
	}
	if r.Method == http.MethodPost {
		pw := r.FormValue("password")
		if _, ok := passwordRules(pw); !ok {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte("<p>Password is too weak: at least 8 characters with lower case, upper case and numbers.</p>"))
			return
		}
		s.mu.Lock()
		if u := s.userByIDLocked(uid); u != nil {
			s.setPasswordLocked(u, pw)
		}
		delete(s.tickets, ticket)
		s.mu.Unlock()
		_, _ = w.Write([]byte("<p>Your password has been changed.</p>"))
		return
	}
	_, _ = w.Write([]byte(`<form method="post"><input type="hidden" name="ticket" value="` + html.EscapeString(ticket) +
		`"><label>New password <input type="password" name="password"></label> <button>Change</button></form>`))
}
