package platform_test

// A Client, its zero value and its results: what a careless caller meets.

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
)

// TestZeroClientRefusesCalls: a Client{}, a nil *Client or a zero service,
// used as if NewClient had made it, refuses every call with a
// *ValidationError and sends nothing (every method once panicked); its
// accessors answer empty.
func TestZeroClientRefusesCalls(t *testing.T) {
	ctx := context.Background()
	var zero platform.Client
	var nilClient *platform.Client
	for name, call := range map[string]func() error{
		"Client{}.Do":               func() error { return zero.Do(ctx, versori.Request{Method: "GET", Path: "/x"}, nil) },
		"(*Client)(nil).Do":         func() error { return nilClient.Do(ctx, versori.Request{Method: "GET", Path: "/x"}, nil) },
		"Client{}.Users.Get":        func() error { _, err := zero.Users.Get(ctx, platform.ExternalID("u")); return err },
		"UsersService{}.Get":        func() error { _, err := (&platform.UsersService{}).Get(ctx, platform.ExternalID("u")); return err },
		"ProjectsService{}.List":    func() error { _, err := (&platform.ProjectsService{}).List(ctx); return err },
		"SystemsService{}.Get":      func() error { _, err := (&platform.SystemsService{}).Get(ctx, "s"); return err },
		"TemplatesService{}.Delete": func() error { return (&platform.TemplatesService{}).Delete(ctx, "p", "t") },
		"ConnectionsService{}.Create": func() error {
			_, err := (&platform.ConnectionsService{}).Create(ctx, platform.CreateConnectionParams{})
			return err
		},
		"ActivationsService{}.List":         func() error { _, err := (&platform.ActivationsService{}).List(ctx, "e"); return err },
		"SigningKeysService{}.List":         func() error { _, err := (&platform.SigningKeysService{}).List(ctx); return err },
		"(*SigningKeysService)(nil).Delete": func() error { return (*platform.SigningKeysService)(nil).Delete(ctx, "k") },
		"(*UsersService)(nil).All": func() error {
			for _, err := range (*platform.UsersService)(nil).All(ctx, nil) {
				return err
			}
			return nil
		},
	} {
		t.Run(name, func(t *testing.T) { refusedUnpanicked(t, name, call) })
	}
	assert.NotPanics(t, func() {
		assert.Empty(t, nilClient.BaseURL())
		assert.Empty(t, nilClient.OrganisationID())
		assert.Empty(t, zero.OrganisationID())
	})
}

// TestFailedCallReturnsNilResult: a failed call returns a nil result next to
// its error, and a list that fails to decode is nil, not the items decoded
// before the failure (a list decoded into a value was once filled before or
// after the call, as Go does not say which).
func TestFailedCallReturnsNilResult(t *testing.T) {
	s := replying(t, http.StatusNotFound, `{"code":"404000","message":"no"}`)
	c := newClient(t, s)
	u, err := c.Users.Get(t.Context(), platform.ExternalID("u"))
	require.Error(t, err)
	assert.Nil(t, u)
	p, err := c.Projects.Get(t.Context(), "p")
	require.Error(t, err)
	assert.Nil(t, p)

	bad := replying(t, http.StatusOK, `[{"id":"01ACT","user":"not an object"}]`)
	as, err := newClient(t, bad).Activations.List(t.Context(), "01ENV")
	require.Error(t, err)
	assert.Nil(t, as, "a list that failed to decode is nil, not %d half-decoded items", len(as))
}

// TestPerCallOrganisationRefused: a call's paths are built from the client's
// organisation, so a call given another one would act on the client's
// organisation without an error; it is refused, and nothing is sent. The
// client's own organisation, given again, is no change and is taken.
func TestPerCallOrganisationRefused(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, endUserJSON("01USER00000000000000000001", "acme-42"))
	c := newClient(t, s)
	_, err := c.Users.Get(t.Context(), platform.ExternalID("acme-42"), versori.WithOrganisationID("01OTHERORG"))
	var ve *versori.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "organisationID", ve.Field)
	assert.Empty(t, s.requests())
	_, err = c.Users.Get(t.Context(), platform.ExternalID("acme-42"), versori.WithOrganisationID(c.OrganisationID()))
	require.NoError(t, err)
}
