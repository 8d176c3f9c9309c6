package bench

// The Embedded API v1 rows' fixtures and the raw side: net/http and
// encoding/json with hand-written structs, what a caller of the raw API would
// write, decoding the same fields as the SDK's types.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// IDs are ULIDs, as the API's are (the spec types them format: ulid, and the
// generated client decodes them as ulid.ULID); externalId is the caller's.
const (
	benchHubID     = "01JPD8F2K9S4X7C1V5N3B6M8Q0"
	benchUserID    = "01JPD8F3T7W2Y9B4N6C8E1G5H3"
	benchUser      = "acme-42@example.com"
	benchConnID    = "01JPD8F4A2C6E8G1J3K5M7P9R0"
	benchConnector = "01JPD8F5Z3X1V9T7R5P3N1M8K6"
	benchOrgID     = "01JPD8F6B4D6F8H0J2K4M6N8P0"
	benchSchemeKey = "01JPD8G6Q3W0Z5R7T9V2X4Y6B8" // auth scheme config IDs are client-chosen strings
	benchSchemeBA  = "01JPD8G6Q3W0Z5R7T9V2X4Y6C9"
)

// Fixed response bodies, built once, so the server's work per call is a copy.
var (
	benchUserBody = mustJSON(rawEndUser{
		rawEndUserSummary: rawEndUserSummary{
			rawUser: rawUser{ID: benchUserID, ExternalID: benchUser, DisplayName: "Acme Corporation (EU)", CreatedAt: benchTime, UpdatedAt: benchTime.Add(time.Hour)},
			HubID:   benchHubID,
		},
		PrimaryConnection: benchConnection(1),
	})
	benchConnectionBody = mustJSON(benchConnection(2))
	benchPageBody       = mustJSON(newUserPage(1000, "01JPD8F9E2F4G6H8J0K2", "@example.com", func(u rawUser) rawEndUserSummary {
		return rawEndUserSummary{rawUser: u, HubID: benchHubID}
	}))
)

// benchConnection is a connection as the API returns it, with n credentials
// (secrets redacted to "").
func benchConnection(n int) rawConnection {
	c := rawConnection{
		ID:        benchConnID,
		Name:      "acme-42 shopify",
		Variables: []rawVariable{{Name: "shop", Value: "acme-42.myshopify.com"}},
		CreatedAt: benchTime,
		UpdatedAt: benchTime,
	}
	c.Credentials.Trigger = []rawConnectionCredential{}
	for i := range n {
		cc := rawConnectionCredential{ID: fmt.Sprintf("01JPD8F7C9B2E4F6A8D0%06d", i)}
		cc.AuthSchemeConfig.Description = "primary"
		cc.Credential = rawCredential{ID: fmt.Sprintf("01JPD8F8D1E3F5G7H9J1%06d", i), OrganisationID: benchOrgID}
		switch i % 2 {
		case 0:
			cc.AuthSchemeConfig.ID, cc.AuthSchemeConfig.SchemeType = benchSchemeKey, "api-key"
			cc.AuthSchemeConfig.Name, cc.AuthSchemeConfig.In = "X-Shopify-Access-Token", "header"
			cc.Credential.Name, cc.Credential.Type, cc.Credential.Data = "shopify key", "string", json.RawMessage(`{"value":""}`)
		case 1:
			cc.AuthSchemeConfig.ID, cc.AuthSchemeConfig.SchemeType = benchSchemeBA, "basic-auth"
			cc.Credential.Name, cc.Credential.Type, cc.Credential.Data = "shopify admin", "basic-auth", json.RawMessage(`{"username":"admin@acme.example","password":""}`)
		}
		c.Credentials.Action = append(c.Credentials.Action, cc)
	}
	return c
}

// newUserPage is a page of n end users with a next cursor, each made by user
// from the fields end users of both APIs have: the ID idPrefix and a
// six-digit number, the external ID customer-<number><suffix>.
func newUserPage[U any](n int, idPrefix, suffix string, user func(rawUser) U) rawPage[U] {
	p := rawPage[U]{TotalCount: 250_000, Next: "eyJvZmZzZXQiOjEwMDB9", Users: make([]U, n)}
	for i := range p.Users {
		p.Users[i] = user(rawUser{
			ID:          fmt.Sprintf("%s%06d", idPrefix, i),
			ExternalID:  "customer-" + strconv.Itoa(100000+i) + suffix,
			DisplayName: "Customer " + strconv.Itoa(100000+i) + " Ltd",
			CreatedAt:   benchTime.Add(time.Duration(i) * time.Minute),
			UpdatedAt:   benchTime.Add(time.Duration(i) * time.Hour),
		})
	}
	return p
}

// The raw side's own types: the fields the SDK's types decode.
type (
	// rawUser holds the fields end users of both APIs have.
	rawUser struct {
		ID          string    `json:"id"`
		ExternalID  string    `json:"externalId"`
		DisplayName string    `json:"displayName"`
		CreatedAt   time.Time `json:"createdAt"`
		UpdatedAt   time.Time `json:"updatedAt"`
	}
	rawEndUserSummary struct {
		rawUser
		HubID string `json:"hubId"`
	}
	rawEndUser struct {
		rawEndUserSummary
		PrimaryConnection rawConnection `json:"primaryConnection"`
	}
	// rawPage is a page of end users, as both APIs page them.
	rawPage[U any] struct {
		TotalCount int    `json:"totalCount"`
		Next       string `json:"next,omitempty"`
		Prev       string `json:"prev,omitempty"`
		Users      []U    `json:"users"`
	}
	rawEndUserPage rawPage[rawEndUserSummary]
	rawConnection  struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Credentials struct {
			Action  []rawConnectionCredential `json:"action"`
			Trigger []rawConnectionCredential `json:"trigger"`
		} `json:"credentials"`
		Variables []rawVariable `json:"variables"`
		CreatedAt time.Time     `json:"createdAt"`
		UpdatedAt time.Time     `json:"updatedAt"`
	}
	rawVariable struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	rawConnectionCredential struct {
		ID               string              `json:"id"`
		AuthSchemeConfig rawAuthSchemeConfig `json:"authSchemeConfig"`
		Credential       rawCredential       `json:"credential"`
	}
	// rawAuthSchemeConfig flattens the schemes the benchmarks use, as a raw
	// caller would.
	rawAuthSchemeConfig struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		SchemeType  string `json:"schemeType"`
		Name        string `json:"name,omitempty"`
		In          string `json:"in,omitempty"`
	}
	rawCredential struct {
		ID             string          `json:"id"`
		OrganisationID string          `json:"organisationId"`
		Type           string          `json:"type"`
		Name           string          `json:"name"`
		Data           json.RawMessage `json:"data"`
		// Decoded from Data by Type, as the SDK's credential union does.
		Value any `json:"-"`
	}
	rawStringData struct {
		Value string `json:"value"`
	}
	rawBasicAuthData struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	rawConnectionCreate struct {
		ConnectorID string `json:"connectorId"`
		Connection  struct {
			Name        string `json:"name"`
			Credentials struct {
				Action []rawCredentialCreate `json:"action"`
			} `json:"credentials"`
			Variables []rawVariable `json:"variables"`
		} `json:"connection"`
	}
	rawCredentialCreate struct {
		AuthSchemeConfig rawAuthSchemeConfig `json:"authSchemeConfig"`
		Credential       struct {
			Name string `json:"name"`
			Type string `json:"type"`
			Data any    `json:"data"`
		} `json:"credential"`
	}
)

// decodeData decodes a credential's data by its type, as the SDK's union does.
func (c *rawCredential) decodeData() error {
	switch c.Type {
	case "string":
		var d rawStringData
		err := json.Unmarshal(c.Data, &d)
		c.Value = d
		return err
	case "basic-auth":
		var d rawBasicAuthData
		err := json.Unmarshal(c.Data, &d)
		c.Value = d
		return err
	}
	return nil
}

func (c *rawConnection) decodeCredentials() error {
	for i := range c.Credentials.Action {
		if err := c.Credentials.Action[i].Credential.decodeData(); err != nil {
			return err
		}
	}
	return nil
}

// rawCall is one raw call: encode the body, build the request, set the
// headers the SDK sets, send, check the status, decode, drain and close.
func rawCall(ctx context.Context, rc rawClient, method, target string, in, out any) error {
	var body io.Reader
	if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	req.Header.Set("User-Agent", benchUA)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Request-Id", uuid.NewString())
	resp, err := rc.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func userURL(base string) string {
	return base + "/hubs/" + url.PathEscape(benchHubID) + "/users/" + url.PathEscape(benchUser)
}

func rawGetEndUser(ctx context.Context, rc rawClient) (any, error) {
	var u rawEndUser
	if err := rawCall(ctx, rc, http.MethodGet, userURL(rc.base)+"?identifier_type=external", nil, &u); err != nil {
		return nil, err
	}
	return &u, u.PrimaryConnection.decodeCredentials()
}

func rawCreateConnection(ctx context.Context, rc rawClient) (any, error) {
	var in rawConnectionCreate
	in.ConnectorID = benchConnector
	in.Connection.Name = "acme-42 shopify"
	in.Connection.Variables = []rawVariable{{Name: "shop", Value: "acme-42.myshopify.com"}}
	in.Connection.Credentials.Action = make([]rawCredentialCreate, 2)
	a := &in.Connection.Credentials.Action[0]
	a.AuthSchemeConfig = rawAuthSchemeConfig{ID: benchSchemeKey, Description: "primary", SchemeType: "api-key", Name: "X-Shopify-Access-Token", In: "header"}
	a.Credential.Name, a.Credential.Type, a.Credential.Data = "shopify key", "string", rawStringData{Value: "shpat_0f9e8d7c6b5a49382716"}
	a = &in.Connection.Credentials.Action[1]
	a.AuthSchemeConfig = rawAuthSchemeConfig{ID: benchSchemeBA, Description: "primary", SchemeType: "basic-auth"}
	a.Credential.Name, a.Credential.Type, a.Credential.Data = "shopify admin", "basic-auth", rawBasicAuthData{Username: "admin@acme.example", Password: "correct horse battery staple"}

	var out rawConnection
	if err := rawCall(ctx, rc, http.MethodPost, userURL(rc.base)+"/connections?identifier_type=external", &in, &out); err != nil {
		return nil, err
	}
	return &out, out.decodeCredentials()
}

func rawListUsers(ctx context.Context, rc rawClient, first int, after string) (*rawEndUserPage, error) {
	target := rc.base + "/hubs/" + url.PathEscape(benchHubID) + "/users?first=" + strconv.Itoa(first)
	if after != "" {
		target += "&after=" + url.QueryEscape(after)
	}
	var page rawEndUserPage
	if err := rawCall(ctx, rc, http.MethodGet, target, nil, &page); err != nil {
		return nil, err
	}
	return &page, nil
}
