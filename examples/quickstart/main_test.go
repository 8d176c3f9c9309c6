package main

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// TestQuickstart runs the whole flow against a fake made for the test.
func TestQuickstart(t *testing.T) {
	srv := versoritest.New(t)
	var out strings.Builder
	if err := quickstart(t.Context(), &out, srv.Client(), srv.Seeded().HubID, "acme-42"); err != nil {
		t.Fatalf("quickstart: %v\noutput:\n%s", err, &out)
	}
	for _, want := range []string{
		`1. hub "Acme Embedded Hub", built around Acme CRM`,
		"2. end user acme-42 created",
		`3. activating "Slack Alerts", which connects to 2 system(s)`,
		`4. Slack: connection "acme-42 Slack" created`,
		"6. read back: acme-42 has 1 activation(s)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
	if got := operations(srv); !slices.Contains(got, versoritest.OpActivateIntegration) {
		t.Errorf("requests %v: no activation", got)
	}
}

// TestCreateEndUserIsRetrySafe checks each way a create can fail: the end
// user is created exactly once, and looked up where the create may have
// gone through.
func TestCreateEndUserIsRetrySafe(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(*versoritest.Server, versori.CreateEndUserParams) []versori.Option // what goes wrong; options for the client
		want    []string                                                                // the requests Versori sees
	}{{
		name: "connection cut before the user was created",
		prepare: func(srv *versoritest.Server, _ versori.CreateEndUserParams) []versori.Option {
			srv.FailNext(versoritest.OpCreateEndUser, 1, versoritest.Fault{Drop: true})
			return nil
		},
		want: []string{versoritest.OpCreateEndUser, versoritest.OpGetEndUser, versoritest.OpCreateEndUser},
	}, {
		name: "answer lost after the user was created",
		prepare: func(*versoritest.Server, versori.CreateEndUserParams) []versori.Option {
			return []versori.Option{versori.WithMiddleware(failFirst(true))}
		},
		want: []string{versoritest.OpCreateEndUser, versoritest.OpGetEndUser},
	}, {
		name: "connection failed before anything was sent, and the SDK does not retry",
		prepare: func(*versoritest.Server, versori.CreateEndUserParams) []versori.Option {
			return []versori.Option{versori.WithMiddleware(failFirst(false)), versori.WithMaxRetries(0)}
		},
		want: []string{versoritest.OpCreateEndUser},
	}, {
		name: "server error",
		prepare: func(srv *versoritest.Server, _ versori.CreateEndUserParams) []versori.Option {
			srv.FailNext(versoritest.OpCreateEndUser, 1, versoritest.Fault{Status: http.StatusBadGateway})
			return nil
		},
		want: []string{versoritest.OpCreateEndUser, versoritest.OpGetEndUser, versoritest.OpCreateEndUser},
	}, {
		name: "user created by an earlier run",
		prepare: func(srv *versoritest.Server, params versori.CreateEndUserParams) []versori.Option {
			if _, err := srv.Client().Users.Create(t.Context(), srv.Seeded().HubID, params); err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			return nil
		},
		want: []string{versoritest.OpCreateEndUser, versoritest.OpGetEndUser},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := versoritest.New(t)
			params := newUser(t, srv)
			srv.ResetRequests()
			c := srv.Client(tc.prepare(srv, params)...)
			user, err := createEndUser(t.Context(), t.Output(), c, srv.Seeded().HubID, params)
			if err != nil || user.ExternalID != "acme-42" {
				t.Fatalf("createEndUser = %+v, %v", user, err)
			}
			if got := operations(srv); !slices.Equal(got, tc.want) {
				t.Errorf("requests %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCreateEndUserRefused checks that an answer that would not change is
// not retried.
func TestCreateEndUserRefused(t *testing.T) {
	srv := versoritest.New(t)
	params := newUser(t, srv)
	srv.ResetRequests()
	params.PrimaryConnection.Name = ""
	_, err := createEndUser(t.Context(), t.Output(), srv.Client(), srv.Seeded().HubID, params)
	if !errors.Is(err, versori.ErrValidation) || len(srv.Requests()) != 0 {
		t.Errorf("err = %v after %d requests, want a validation error and none", err, len(srv.Requests()))
	}
}

// TestOffline runs what go run ./examples/quickstart runs.
func TestOffline(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "")
	var out strings.Builder
	if err := run(t.Context(), &out, "acme-42"); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, &out)
	}
	if !strings.Contains(out.String(), "running offline") || !strings.Contains(out.String(), "creating again is safe") {
		t.Errorf("unexpected output:\n%s", &out)
	}
}

// newUser returns the parameters of the end user acme-42 in srv's hub.
func newUser(t *testing.T, srv *versoritest.Server) versori.CreateEndUserParams {
	t.Helper()
	hub, err := srv.Client().Hubs.Get(t.Context(), srv.Seeded().HubID)
	if err != nil {
		t.Fatal(err)
	}
	return versori.CreateEndUserParams{ExternalID: "acme-42", PrimaryConnection: versori.ConnectionCreate{
		Name:        "acme-42 primary",
		Credentials: versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey("acme-42 key", "k")),
	}}
}

// operations returns the operation of each request srv received.
func operations(srv *versoritest.Server) []string {
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
	}
	return ops
}

// failFirst fails the client's first request as a broken connection would:
// before anything is sent, or after Versori has answered, losing the answer.
func failFirst(afterSending bool) versori.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		failed := false
		return roundTripper(func(r *http.Request) (*http.Response, error) {
			if failed {
				return next.RoundTrip(r)
			}
			failed = true
			if afterSending {
				res, err := next.RoundTrip(r)
				if err != nil {
					return nil, err
				}
				res.Body.Close()
			}
			return nil, errors.New("connection reset by peer")
		})
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
