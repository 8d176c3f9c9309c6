// Command platform-quickstart runs the embedding flow of Versori's Platform
// API (v2): it finds an environment, creates an end user, gives them a
// connection for each of the environment's dynamic connection templates,
// activates the environment for them, sets one of their dynamic variables,
// mints their embed token, and then deletes what it created.
//
// With VERSORI_API_KEY unset it runs against the in-process fake
// (versoritest), and says so. To run it against the real Platform API, set
//
//	VERSORI_API_KEY            an API key of the organisation
//	VERSORI_ORGANISATION_ID    the organisation's ID
//	VERSORI_PLATFORM_BASE_URL  optional: https://platform.versori.com/api/v2 by default
//	VERSORI_SIGNING_KEY_ID     optional, both or neither: a signing key's ID and the
//	VERSORI_SIGNING_KEY_FILE   file holding its private key (PEM), to mint the end
//	                           user's token; without them that step is skipped
//
// and have a project deployed to an environment: the first project's first
// environment is used unless -project or -environment (or VERSORI_PROJECT_ID
// or VERSORI_ENVIRONMENT_ID) name another. The connections it makes hold
// placeholder credentials, where a real application would collect the end
// user's own (for OAuth 2.0, through the browser flow it prints the start
// of); a system that checks a credential when it is stored may refuse them.
// Whatever happens, it deletes the activation, connections and end user it
// created (and, offline, the signing key).
//
//	go run ./examples/platform-quickstart [-external-id acme-42] [-project ID] [-environment ID]
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// options are what the flags choose.
type options struct {
	externalID    string // the end user to create
	projectID     string // "" for the first project (or the environment's)
	environmentID string // "" for the project's first environment
}

func main() {
	var o options
	flag.StringVar(&o.externalID, "external-id", "", "external ID of the end user to create (default: a fresh quickstart-…)")
	flag.StringVar(&o.projectID, "project", os.Getenv("VERSORI_PROJECT_ID"), "project ID (default: $VERSORI_PROJECT_ID, else the first project)")
	flag.StringVar(&o.environmentID, "environment", os.Getenv("VERSORI_ENVIRONMENT_ID"), "environment ID (default: $VERSORI_ENVIRONMENT_ID, else the project's first)")
	flag.Parse()
	if o.externalID == "" {
		o.externalID = "quickstart-" + randomHex(4)
	}
	if err := run(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "platform-quickstart failed:", err)
		os.Exit(1)
	}
}

// run connects to the Platform API, or to the fake when VERSORI_API_KEY is
// unset, and runs the flow.
func run(w io.Writer, o options) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if os.Getenv("VERSORI_API_KEY") == "" {
		srv := versoritest.NewServer()
		defer srv.Close()
		fmt.Fprintf(w, "VERSORI_API_KEY is unset: running against the in-process fake at %s\n", srv.URL)
		c, err := platform.NewClient(versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.PlatformURL), versori.WithOrganisationID(srv.Seeded().OrganisationID))
		if err != nil {
			return err
		}
		// The fake has no signing key of the organisation: make one.
		return quickstart(ctx, w, c, o, tokenKey{create: true})
	}

	// NewClient reads VERSORI_API_KEY, VERSORI_ORGANISATION_ID and
	// VERSORI_PLATFORM_BASE_URL itself.
	c, err := platform.NewClient()
	if err != nil {
		return err
	}
	key, err := signingKeyFromEnv()
	if err != nil {
		return err
	}
	return quickstart(ctx, w, c, o, tokenKey{key: key})
}

// tokenKey says how quickstart mints the end user's token: with key, with a
// signing key it creates (and deletes), or not at all.
type tokenKey struct {
	key    *versori.SigningKey
	create bool
}

// signingKeyFromEnv loads the signing key VERSORI_SIGNING_KEY_ID and
// VERSORI_SIGNING_KEY_FILE name, or returns nil when neither is set.
func signingKeyFromEnv() (*versori.SigningKey, error) {
	id, file := os.Getenv("VERSORI_SIGNING_KEY_ID"), os.Getenv("VERSORI_SIGNING_KEY_FILE")
	switch {
	case id == "" && file == "":
		return nil, nil
	case id == "" || file == "":
		return nil, errors.New("set both VERSORI_SIGNING_KEY_ID and VERSORI_SIGNING_KEY_FILE, or neither")
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	return versori.ParseSigningKey(id, pem)
}

// quickstart runs the flow with c, printing numbered steps to w, and deletes
// what it created, whether or not the flow got to the end.
func quickstart(ctx context.Context, w io.Writer, c *platform.Client, o options, tk tokenKey) (err error) {
	// Undo steps, run last first when quickstart returns, with a context of
	// their own so that they run even when ctx has expired.
	var undo []func(context.Context) error
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		for _, u := range slices.Backward(undo) {
			err = errors.Join(err, u(cctx))
		}
	}()

	project, env, err := findEnvironment(ctx, c, o.projectID, o.environmentID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. environment %q (%s) of project %q\n", env.Name, env.Status, project.Name)

	user, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: platform.ExternalID(o.externalID), DisplayName: "Quickstart user"})
	if err != nil {
		return fmt.Errorf("create end user: %w", err)
	}
	undo = append(undo, func(ctx context.Context) error {
		if err := c.Users.Delete(ctx, user.ID); err != nil {
			return fmt.Errorf("delete end user %s: %w", user.ExternalID, err)
		}
		fmt.Fprintf(w, "8. end user %s deleted\n", user.ExternalID)
		return nil
	})
	fmt.Fprintf(w, "2. end user %s created (Versori ID %s)\n", user.ExternalID, user.ID)

	// A dynamic template needs a connection of each end user's; a static one
	// has one connection, shared by all.
	var dynamic, static []platform.ConnectionTemplate
	for t, err := range c.Templates.All(ctx, project.ID, &platform.ListConnectionTemplatesParams{EnvironmentID: env.ID}) {
		if err != nil {
			return fmt.Errorf("list connection templates: %w", err)
		}
		if t.Dynamic {
			dynamic = append(dynamic, t)
		} else {
			static = append(static, t)
		}
	}
	fmt.Fprintf(w, "3. %d connection templates: dynamic (one connection per end user) %s; static (shared) %s\n",
		len(dynamic)+len(static), names(dynamic), names(static))

	var bindings []platform.ActivationConnection
	for _, t := range dynamic {
		if len(t.AuthSchemeConfigs) == 0 {
			return fmt.Errorf("template %s has no auth scheme config", t.Name)
		}
		scheme := t.AuthSchemeConfigs[0]
		if params, err := platform.NewInitialiseOAuth2Params(scheme.Scheme); err == nil {
			// An authorization code comes from the end user's browser: a real
			// application sends them to this URL, and creates the connection
			// with the oauth2-code credential the provider redirects back with.
			auth, err := c.Systems.InitialiseOAuth2(ctx, t.SystemID, params)
			if err != nil {
				return fmt.Errorf("initialise OAuth 2.0 for %s: %w", t.Name, err)
			}
			fmt.Fprintf(w, "4. %s: the end user's browser would go to %s\n", t.Name, withoutQuery(auth.URL))
		}
		data, err := placeholder(scheme.Scheme)
		if err != nil {
			return fmt.Errorf("template %s: %w", t.Name, err)
		}
		conn, err := c.Connections.Create(ctx, platform.CreateConnectionParams{
			TemplateID: t.ConnectionTemplateID,
			ExternalID: user.ExternalID,
			Connection: platform.ConnectionCreate{
				Name:        o.externalID + " " + t.Name,
				Credentials: []platform.ConnectionCredential{platform.CredentialFor(scheme, o.externalID+" "+t.Name, data)},
			},
		})
		if err != nil {
			return fmt.Errorf("create connection for %s: %w", t.Name, err)
		}
		undo = append(undo, func(ctx context.Context) error {
			if err := c.Connections.Delete(ctx, conn.ID); err != nil {
				return fmt.Errorf("delete connection %q: %w", conn.Name, err)
			}
			fmt.Fprintf(w, "8. connection %q deleted\n", conn.Name)
			return nil
		})
		fmt.Fprintf(w, "4. %s: connection %q created with a placeholder %s credential (%s scheme %q)\n",
			t.Name, conn.Name, platform.CredentialTypeOf(data), platform.SchemeTypeOf(scheme.Scheme), scheme.ID)
		bindings = append(bindings, platform.ActivationConnection{TemplateID: t.ConnectionTemplateID, ExistingConnectionID: conn.ID})
	}

	full, err := c.Projects.Get(ctx, project.ID)
	if err != nil {
		return fmt.Errorf("get project: %w", err)
	}
	vars, err := parseVariables(full.DynamicVariablesSchema)
	if err != nil {
		return err
	}
	required, err := vars.requiredValues()
	if err != nil {
		return err
	}
	activation, err := c.Activations.Create(ctx, platform.CreateActivationParams{
		User:             user.ExternalID,
		EnvironmentID:    env.ID,
		Connections:      bindings,
		DynamicVariables: required,
	})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	undo = append(undo, func(ctx context.Context) error {
		if err := c.Activations.Delete(ctx, env.ID, activation.ID); err != nil {
			return fmt.Errorf("deactivate: %w", err)
		}
		fmt.Fprintf(w, "8. activation %s deleted\n", activation.ID)
		return nil
	})
	fmt.Fprintf(w, "5. environment %q activated for %s (activation %s)\n", env.Name, user.ExternalID, activation.ID)

	if name, value, ok := vars.pick(); ok {
		all, err := c.Activations.SetVariable(ctx, env.ID, activation.ID, name, value)
		if err != nil {
			return fmt.Errorf("set variable %s: %w", name, err)
		}
		fmt.Fprintf(w, "6. dynamic variable %s set to %s (the activation has %d set; the schema knows %s)\n",
			name, jsonText(value), len(all), strings.Join(vars.names(), ", "))
	} else {
		fmt.Fprintln(w, "6. the project's variables schema has no variable this example can set")
	}

	return mintToken(ctx, w, c, user, tk, &undo)
}

// findEnvironment returns the project and environment to use: those named,
// or the first project's first environment.
func findEnvironment(ctx context.Context, c *platform.Client, projectID, environmentID string) (*platform.ProjectSummary, *platform.ProjectEnvironment, error) {
	list, err := c.Projects.List(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list projects: %w", err)
	}
	for i := range list.Projects {
		p := &list.Projects[i]
		if projectID != "" && p.ID != projectID {
			continue
		}
		for j := range p.Environments {
			if e := &p.Environments[j]; environmentID == "" || e.ID == environmentID {
				return p, e, nil
			}
		}
	}
	switch {
	case projectID != "" && environmentID != "":
		return nil, nil, fmt.Errorf("project %s has no environment %s", projectID, environmentID)
	case environmentID != "":
		return nil, nil, fmt.Errorf("no project has an environment %s", environmentID)
	case projectID != "":
		return nil, nil, fmt.Errorf("no project %s with an environment", projectID)
	default:
		return nil, nil, errors.New("the organisation has no project with an environment: deploy one first")
	}
}

// placeholder returns credential data that fits scheme, the first type that
// platform.AcceptedCredentials lists, except oauth2-code, which only the
// browser flow can produce: an oauth2-token stands in for it. Every secret in
// it is a Secret, so printing the connection would not show it.
func placeholder(scheme platform.AuthScheme) (platform.CredentialData, error) {
	oauth2, _ := scheme.(platform.OAuth2Scheme)
	scopes := append([]string{}, oauth2.DefaultScopes...)
	secret := versori.NewSecret("not-a-real-secret")
	for _, t := range platform.AcceptedCredentials(scheme) {
		switch t {
		case platform.CredentialTypeNone:
			return platform.NoneCredential{}, nil
		case platform.CredentialTypeString:
			return platform.StringCredential{Value: secret}, nil
		case platform.CredentialTypeBasicAuth:
			return platform.BasicAuthCredential{Username: "quickstart", Password: secret}, nil
		case platform.CredentialTypeOAuth2Client:
			return platform.OAuth2ClientCredential{ClientID: "quickstart-client", ClientSecret: secret, TokenURL: oauth2.TokenURL, Scopes: scopes}, nil
		case platform.CredentialTypeOAuth2Password:
			return platform.OAuth2PasswordCredential{Username: "quickstart", Password: secret}, nil
		case platform.CredentialTypeOAuth2Token:
			return platform.OAuth2TokenCredential{Scopes: scopes, RefreshToken: secret}, nil
		case platform.CredentialTypeCertificate:
			return platform.CertificateCredential{Certificate: "-----BEGIN CERTIFICATE-----", Key: secret, CA: "-----BEGIN CERTIFICATE-----"}, nil
		case platform.CredentialTypeOAuth1:
			return platform.OAuth1Credential{State: "quickstart-state", OAuthToken: "quickstart-token", OAuthVerifier: secret}, nil
		case platform.CredentialTypeOAuth1Token:
			return platform.OAuth1TokenCredential{Token: secret, TokenSecret: secret}, nil
		}
	}
	return nil, fmt.Errorf("no placeholder credential for its %s auth scheme", platform.SchemeTypeOf(scheme))
}

// mintToken mints the end user's token, with which the front end embeds
// Versori's UI as that user, and shows that it acts for them.
func mintToken(ctx context.Context, w io.Writer, c *platform.Client, user *platform.EndUser, tk tokenKey, undo *[]func(context.Context) error) error {
	key := tk.key
	if tk.create {
		set, err := c.SigningKeys.Create(ctx, "platform-quickstart "+string(user.ExternalID))
		if err != nil {
			return fmt.Errorf("create signing key: %w", err)
		}
		*undo = append(*undo, func(ctx context.Context) error {
			if err := c.SigningKeys.Delete(ctx, set.ID); err != nil {
				return fmt.Errorf("delete signing key %s: %w", set.ID, err)
			}
			fmt.Fprintf(w, "8. signing key %s deleted\n", set.ID)
			return nil
		})
		// The private key is returned only now: a real application keeps it
		// in its secret store.
		if key, err = set.SigningKey(); err != nil {
			return err
		}
		fmt.Fprintf(w, "7. signing key %q created (ID %s)\n", set.Name, set.ID)
	}
	if key == nil {
		fmt.Fprintln(w, "7. no signing key (set VERSORI_SIGNING_KEY_ID and VERSORI_SIGNING_KEY_FILE): not minting the end user's token")
		return nil
	}
	token, err := key.MintUserToken(user.Ref(), 0)
	if err != nil {
		return fmt.Errorf("mint token: %w", err)
	}
	// token.Value is a versori.Secret: it prints as [REDACTED].
	fmt.Fprintf(w, "7. embed token for %s: %v, expires %s\n", user.ExternalID, token.Value, token.ExpiresAt.UTC().Format(time.RFC3339))

	// What the front end does with it: call the API as the end user.
	asUser, err := platform.NewClient(versori.WithTokenSource(versori.StaticToken(token.Value.Reveal())),
		versori.WithBaseURL(c.BaseURL()), versori.WithOrganisationID(c.OrganisationID()))
	if err != nil {
		return err
	}
	me, err := asUser.Users.Get(ctx, user.ExternalID)
	if err != nil {
		return fmt.Errorf("get end user with their token: %w", err)
	}
	fmt.Fprintf(w, "7. with it, the front end acts as %s (%q)\n", me.ExternalID, me.DisplayName)
	return nil
}

// variables are the properties of a project's dynamic variables schema,
// as far as this example understands them.
type variables struct {
	Properties map[string]variable `json:"properties"`
	Required   []string            `json:"required"`
}

type variable struct {
	Type      any      `json:"type"` // a string, or a list of them
	Default   any      `json:"default"`
	Const     any      `json:"const"`
	Enum      []any    `json:"enum"`
	Minimum   *float64 `json:"minimum"`
	Maximum   *float64 `json:"maximum"`
	MinLength int      `json:"minLength"`
	MaxLength *int     `json:"maxLength"`
	Pattern   string   `json:"pattern"`
	Format    string   `json:"format"`
}

func parseVariables(schema json.RawMessage) (variables, error) {
	var v variables
	if len(schema) == 0 || string(schema) == "null" {
		return v, nil
	}
	if err := json.Unmarshal(schema, &v); err != nil {
		return v, fmt.Errorf("the project's variables schema: %w", err)
	}
	return v, nil
}

func (v variables) names() []string {
	return slices.Sorted(maps.Keys(v.Properties))
}

// requiredValues returns a value for each required variable, which the
// activation needs from the start.
func (v variables) requiredValues() (versori.DynamicVariables, error) {
	if len(v.Required) == 0 {
		return nil, nil
	}
	out := versori.DynamicVariables{}
	for _, name := range v.Required {
		value, rank := v.Properties[name].example()
		if rank < 0 {
			return nil, fmt.Errorf("dynamic variable %s is required, and this example cannot make a value for it", name)
		}
		out[name] = value
	}
	return out, nil
}

// pick returns the variable to set and its value: the one whose example
// value is most surely valid, by name among equals.
func (v variables) pick() (string, any, bool) {
	best, bestRank := "", -1
	var bestValue any
	for _, name := range v.names() {
		if value, rank := v.Properties[name].example(); rank >= 0 && (bestRank < 0 || rank < bestRank) {
			best, bestRank, bestValue = name, rank, value
		}
	}
	return best, bestValue, bestRank >= 0
}

// example returns a value for the variable and how surely the schema takes
// it: 0 for one the schema gives (default, const, enum), 1 for a number or
// boolean, 2 for a string; -1 when it cannot make one.
func (p variable) example() (any, int) {
	switch {
	case p.Default != nil:
		return p.Default, 0
	case p.Const != nil:
		return p.Const, 0
	case len(p.Enum) > 0:
		return p.Enum[0], 0
	}
	typ, _ := p.Type.(string)
	switch typ {
	case "integer", "number":
		n := 0.0
		if p.Minimum != nil {
			n = *p.Minimum
		}
		if typ == "integer" {
			n = math.Ceil(n)
		}
		if p.Maximum != nil && *p.Maximum < n {
			return nil, -1
		}
		if typ == "integer" {
			return int64(n), 1
		}
		return n, 1
	case "boolean":
		return true, 1
	case "string":
		s := "quickstart"
		if p.Pattern != "" || p.Format != "" || p.MinLength > len(s) || p.MaxLength != nil && *p.MaxLength < len(s) {
			return nil, -1
		}
		return s, 2
	}
	return nil, -1
}

func names(ts []platform.ConnectionTemplate) string {
	if len(ts) == 0 {
		return "none"
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return strings.Join(out, ", ")
}

// withoutQuery returns u without its query, naming the parameters instead:
// the query holds the flow's state, which is not for logs.
func withoutQuery(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return "(an unparseable URL)"
	}
	params := slices.Sorted(maps.Keys(parsed.Query()))
	parsed.RawQuery, parsed.Fragment = "", ""
	if len(params) == 0 {
		return parsed.String()
	}
	return parsed.String() + "?<" + strings.Join(params, ", ") + ">"
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
