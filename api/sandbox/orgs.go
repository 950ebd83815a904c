package sandbox

import "strings"

// Organizations, as far as a sign-in needs them: /authorize and
// /oauth/device/code take an organization (its id, org_…, or its name,
// any case), refuse one the tenant does not have, and the tokens then
// carry org_id and org_name, as a tenant that allows organization names
// in the Authentication API sends them. There is no membership: any user
// may sign in to any organization of the sandbox.

// Organization is an Auth0 organization of the sandbox.
type Organization struct {
	ID   string // org_…
	Name string // lower case, as Auth0 keeps them
}

// The seeded organization.
const (
	SeedOrganizationID   = "org_sbxAcme0000001"
	SeedOrganizationName = "acme"
)

// AddOrganization registers an organization (its ID must start with org_).
func (s *Server) AddOrganization(o Organization) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orgs == nil {
		s.orgs = map[string]*Organization{}
	}
	s.orgs[o.ID] = &o
}

// orgLocked finds the organization an organization parameter names: by id
// when it starts with org_, else by name, case-insensitively.
func (s *Server) orgLocked(v string) *Organization {
	all := []*Organization{{ID: SeedOrganizationID, Name: SeedOrganizationName}}
	for _, o := range s.orgs {
		all = append(all, o)
	}
	for _, o := range all {
		if strings.HasPrefix(v, "org_") && o.ID == v || !strings.HasPrefix(v, "org_") && strings.EqualFold(o.Name, v) {
			return o
		}
	}
	return nil
}

// organization resolves a request's organization parameter: nil and true
// when there is none, nil and false (with the sentence) when the tenant has
// no such organization.
func (s *Server) organization(v string) (*Organization, string, bool) {
	if v == "" {
		return nil, "", true
	}
	s.mu.Lock()
	o := s.orgLocked(v)
	s.mu.Unlock()
	if o == nil {
		return nil, "parameter organization is invalid: no organization " + v + " in this tenant", false
	}
	return o, "", true
}

// orgClaims are the claims a token for o carries.
func orgClaims(o *Organization) []claim {
	if o == nil {
		return nil
	}
	return []claim{{"org_id", o.ID}, {"org_name", o.Name}}
}
