package main

import (
	"strings"
	"testing"

	"github.com/versori-go/versori/versoritest"
)

// TestSetUpHub sets up a hub in a fake made for the test, around the fake's
// primary connector, and checks what it made through the API.
func TestSetUpHub(t *testing.T) {
	srv := versoritest.New(t)
	seeded := srv.Seeded()
	var out strings.Builder
	if err := setUpHub(t.Context(), &out, srv.Client(), seeded.PrimaryConnectorID, seeded.Integrations[0].Templates[1].ConnectorID); err != nil {
		t.Fatalf("setUpHub: %v\noutput:\n%s", err, &out)
	}
	if !strings.Contains(out.String(), `4. "Orders sync" needs 2 connections`) {
		t.Errorf("unexpected output:\n%s", &out)
	}
	hubs, err := srv.Client().Hubs.List(t.Context(), seeded.OrganisationID)
	if err != nil || len(hubs.Hubs) != 2 {
		t.Fatalf("hubs after the set-up: %+v, %v; want the seeded one and the new one", hubs, err)
	}
}

// TestSetUpHubNeedsItsInputs checks the message when the environment lacks
// what the example needs, before any call.
func TestSetUpHubNeedsItsInputs(t *testing.T) {
	srv := versoritest.New(t)
	err := setUpHub(t.Context(), &strings.Builder{}, srv.Client(), "", "")
	if err == nil || !strings.Contains(err.Error(), "VERSORI_PRIMARY_CONNECTOR_ID") || len(srv.Requests()) != 0 {
		t.Errorf("err = %v after %d requests", err, len(srv.Requests()))
	}
}
