package platform_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

const (
	envConfigJSON = `{"deploymentSpec":{"replicas":1,"autoscaling":{"maxReplicas":3},"staticIP":false,"resources":{"limits":{"cpu":"500m","memory":"512Mi"}}}}`
	envFilesJSON  = `[{"filename":"index.ts","content":"import { workflow } from '@versori/run';\n"}]`
	// environmentJSON is a deployed environment. Its lastDeployedAt, which
	// the spec requires but does not define (erratum E5), is absent.
	environmentJSON = `{"id":"01ENV00000000000000000000A","name":"production","status":"running","createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-02-02T03:04:05Z",` +
		`"publicUrl":"https://acme.versori.run/shopify-sync","executionPool":"default","files":` + envFilesJSON + `,"labels":{"tier":"prod"},"config":` + envConfigJSON + `,` +
		`"deployedVersion":{"id":"01VER00000000000000000000A","name":"v1","description":"first release","labels":{},"state":"ready","createdAt":"2026-02-01T00:00:00Z"}}`
	draftEnvironmentJSON = `{"id":"01ENV00000000000000000000B","name":"staging","status":"draft","createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z","publicUrl":"","config":{}}`
	currentFilesJSON     = `{"files":[{"filename":"index.ts","content":"export {}"}],"labels":{"team":"core"}}`
	variablesSchemaJSON  = `{"type":"object","properties":{"shop":{"type":"string"}},"required":["shop"]}`
)

func projectSummaryJSON(id string) string {
	return fmt.Sprintf(`{"id":%q,"name":"Shopify sync","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-02-02T03:04:05Z","environments":[%s,%s]}`, id, environmentJSON, draftEnvironmentJSON)
}

func projectJSON(id string) string {
	return fmt.Sprintf(`{"id":%q,"name":"Shopify sync","environments":[%s],"currentFiles":%s,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-02-02T03:04:05Z",`+
		`"dynamicVariablesSchema":%s,"settings":{"acceptCodeChangesAutomatically":true},"metadata":{"sentimentHistory":[]}}`, id, environmentJSON, currentFilesJSON, variablesSchemaJSON)
}

// assertEnvironment checks env is environmentJSON decoded.
func assertEnvironment(t *testing.T, env platform.ProjectEnvironment) {
	t.Helper()
	assert.JSONEq(t, envConfigJSON, string(env.Config))
	assert.JSONEq(t, envFilesJSON, string(env.Files))
	env.Config, env.Files = nil, nil
	assert.Equal(t, platform.ProjectEnvironment{
		ID:            "01ENV00000000000000000000A",
		Name:          "production",
		Status:        platform.EnvironmentRunning,
		CreatedAt:     time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		UpdatedAt:     time.Date(2026, 2, 2, 3, 4, 5, 0, time.UTC),
		PublicURL:     "https://acme.versori.run/shopify-sync",
		ExecutionPool: "default",
		Labels:        map[string]string{"tier": "prod"},
		DeployedVersion: &platform.ProjectVersion{
			ID: "01VER00000000000000000000A", Name: "v1", Description: "first release", Labels: map[string]string{},
			State: "ready", CreatedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		},
	}, env)
}

func TestProjectsList(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"projects":[`+projectSummaryJSON("01P1")+`,`+projectSummaryJSON("01P2")+`]}`)
	list, err := newClient(t, s).Projects.List(t.Context())
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/projects", "", "")
	require.Len(t, list.Projects, 2)
	p := list.Projects[1]
	assert.Equal(t, "01P2", p.ID)
	assert.Equal(t, "Shopify sync", p.Name)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), p.CreatedAt)
	require.Len(t, p.Environments, 2)
	assertEnvironment(t, p.Environments[0])
	assert.Equal(t, platform.EnvironmentDraft, p.Environments[1].Status)
	assert.Nil(t, p.Environments[1].DeployedVersion)
}

func TestProjectsGet(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, projectJSON("01PROJ0000000000000000000A"))
	p, err := newClient(t, s).Projects.Get(t.Context(), "01PROJ0000000000000000000A")
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/projects/01PROJ0000000000000000000A", "", "")
	assert.Equal(t, "01PROJ0000000000000000000A", p.ID)
	assert.Equal(t, time.Date(2026, 2, 2, 3, 4, 5, 0, time.UTC), p.UpdatedAt)
	require.Len(t, p.Environments, 1)
	assertEnvironment(t, p.Environments[0])
	assert.JSONEq(t, variablesSchemaJSON, string(p.DynamicVariablesSchema))
	assert.JSONEq(t, currentFilesJSON, string(p.CurrentFiles))
	assert.JSONEq(t, `{"acceptCodeChangesAutomatically":true}`, string(p.Settings))
	assert.JSONEq(t, `{"sentimentHistory":[]}`, string(p.Metadata))
}

func TestProjectsAnswersWithoutRequiredPropertiesAreErrors(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"project without currentFiles":  `{"id":"01P","name":"n","environments":[],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","settings":{},"metadata":{}}`,
		"environment without publicUrl": `{"id":"01P","name":"n","environments":[{"id":"01E","name":"e","status":"draft","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","config":{}}],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","currentFiles":{},"settings":{},"metadata":{}}`,
	} {
		s := replying(t, http.StatusOK, body)
		_, err := newClient(t, s).Projects.Get(t.Context(), "01P")
		var d *versori.DecodeError
		assert.ErrorAs(t, err, &d, name)
	}
}

func TestProjectsRefuseBadInput(t *testing.T) {
	t.Parallel()
	assertRefusals(t, func(ctx context.Context, c *platform.Client) []refusal {
		return []refusal{
			{"get without ID", "projectID", func() error { return errOf(c.Projects.Get(ctx, "")) }},
			{"get blank", "projectID", func() error { return errOf(c.Projects.Get(ctx, " ")) }},
			{"get dot-dot", "projectID", func() error { return errOf(c.Projects.Get(ctx, "..")) }},
		}
	})
}

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
