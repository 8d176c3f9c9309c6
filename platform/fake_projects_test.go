package platform_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeProjectsListAndGet(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp := srv.Seeded().Platform

	list, err := p.Projects.List(ctx)
	require.NoError(t, err)
	require.Len(t, list.Projects, 1)
	summary := list.Projects[0]
	assert.Equal(t, sp.ProjectID, summary.ID)
	require.Len(t, summary.Environments, 1)
	assert.Equal(t, sp.EnvironmentID, summary.Environments[0].ID)
	assert.Equal(t, platform.EnvironmentRunning, summary.Environments[0].Status)

	project, err := p.Projects.Get(ctx, sp.ProjectID)
	require.NoError(t, err)
	assert.Equal(t, summary.Name, project.Name)
	assert.Equal(t, summary.Environments, project.Environments)
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(project.DynamicVariablesSchema, &schema))
	assert.Contains(t, schema.Properties, "region")

	_, err = p.Projects.Get(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// The wrapper shape, {projects: [...]}: All makes one call.
func TestFakeProjectsAll(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	got, err := collect(p.Projects.All(t.Context()))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, srv.Seeded().Platform.ProjectID, got[0].ID)
	assert.Equal(t, []string{versoritest.OpPlatformListProjects}, ops(srv))

	// An unseeded organisation has none.
	_, empty := newFake(t, versoritest.WithoutSeed())
	got, err = collect(empty.Projects.All(t.Context()))
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestFakeProjectsFaults(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	srv.FailNext(versoritest.OpPlatformListProjects, 2, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
	_, err := p.Projects.List(ctx)
	require.NoError(t, err)
	srv.FailNext(versoritest.OpPlatformGetProject, 3, versoritest.Fault{Status: http.StatusInternalServerError})
	_, err = p.Projects.Get(ctx, srv.Seeded().Platform.ProjectID)
	assert.ErrorIs(t, err, versori.ErrServer)
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "GetProject", apiErr.Operation)
	// A Retry-After beyond the policy's longest wait is not waited for.
	srv.FailNext(versoritest.OpPlatformGetProject, 1, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "3600"})
	_, err = p.Projects.Get(ctx, srv.Seeded().Platform.ProjectID)
	assert.ErrorIs(t, err, versori.ErrServer)
}
