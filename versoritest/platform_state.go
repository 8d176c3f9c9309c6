package versoritest

import (
	"crypto/rsa"
	"time"
)

// platformState is the Platform API's part of the fake's database: the organisation's end
// users, projects and environments, systems, connection templates, connections,
// credentials, activations and signing keys. It lives in state (so Fake.mu guards it) and
// shares the organisation with v1, but nothing else: v1 hubs, users and connections are a
// separate world, as they are at Versori. Type names start with p to keep them apart from
// v1's.
type platformState struct {
	users        table[pUser]
	projects     table[pProject]
	environments table[pEnvironment]
	systems      table[pSystem]
	templates    table[pTemplate]
	connections  table[pConnection]
	credentials  table[pCredential]
	activations  table[pActivation]
	signingKeys  table[pSigningKey]
	oauthStates  table[pOAuthState]
}

type pUser struct {
	id, externalID, displayName string
	createdAt, updatedAt        time.Time
}

type pProject struct {
	id, name             string
	variablesSchema      object // the project's dynamic variables JSON Schema; nil if none
	createdAt, updatedAt time.Time
}

type pEnvironment struct {
	id, projectID, name, status, publicURL string
	staticVariables                        object // variables of the environment's static activation
	createdAt, updatedAt                   time.Time
}

// pSystem is a System with its auth scheme configs, each stored keyed as sent
// ({type, apiKey: {id, ...}}) and unredacted; redaction happens when rendering.
type pSystem struct {
	id, name, domain, templateBaseURL string
	schemes                           []object
	createdAt                         time.Time
}

// pTemplate is a connection template: a system linked to one environment of a project.
type pTemplate struct {
	id, projectID, envID, systemID, name string
	dynamic                              bool
	schemeIDs                            []string // authSchemeConfigIds; empty means all the system's
	createdAt                            time.Time
}

// pConnection is a connection made for a template: an end user's (dynamic) when userID is
// set, else a static one, which is linked to the templates in links.
type pConnection struct {
	id, name, baseURL, systemID, templateID string
	userID                                  string
	creds                                   []pConnCred
	links                                   map[string]bool // static only: linked template IDs
	createdAt, updatedAt                    time.Time
}

type pConnCred struct {
	id     string
	scheme object // keyed AuthSchemeConfig, nil if none was sent
	credID string
}

// pCredential holds the real data, keyed ({"string": {"value": ...}}) and unredacted.
// userID is the end user whose connection created it ("" for the organisation's own).
type pCredential struct {
	id, name, typ, userID string
	data                  object
	createdAt             time.Time
}

type pActivation struct {
	id, userID, envID    string
	connections          map[string]string // template ID -> connection ID
	variables            object
	createdAt, updatedAt time.Time
}

// pSigningKey is a key made by CreateSigningKey. Only the public half is kept: the private
// half is returned once, by CreateSigningKey, as at Versori.
type pSigningKey struct {
	id, name, publicPEM string
	public              *rsa.PublicKey
	createdAt           time.Time
}

// pOAuthState is an OAuth authorisation the fake started for a system.
type pOAuthState struct {
	systemID, externalID string
}
