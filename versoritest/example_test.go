package versoritest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/versori-go/versori/versoritest"
)

// ExampleNew is a test of your own code against the fake: New starts it for the test and
// closes it when the test ends, and Client returns an SDK client already pointed at it.
// (An example has no *testing.T of its own, so this one is compiled but not run.)
func ExampleNew() {
	testHubName := func(t *testing.T) {
		srv := versoritest.New(t)
		c := srv.Client()

		// The first two GetHub calls fail with 503; the SDK retries GETs, so the third
		// attempt succeeds. Faults left unused would fail the test at its end.
		srv.FailNext(versoritest.OpGetHub, 2, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
		hub, err := c.Hubs.Get(t.Context(), srv.Seeded().HubID)
		if err != nil {
			t.Fatal(err)
		}
		if hub.Name != "Acme Embedded Hub" {
			t.Errorf("hub name = %q", hub.Name)
		}
		if n := len(srv.Requests()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	}
	_ = testHubName
}

// ExampleServer_Client reads the seeded hub through the SDK. Outside a test, NewServer
// starts the fake and Close stops it.
func ExampleServer_Client() {
	srv := versoritest.NewServer()
	defer srv.Close()

	hub, err := srv.Client().Hubs.Get(context.Background(), srv.Seeded().HubID)
	if err != nil {
		panic(err)
	}
	fmt.Println(hub.Name)
	// Output:
	// Acme Embedded Hub
}

// Example creates an end user in the seeded hub with plain net/http, as a client in
// another language would, and shows the credential value redacted on read.
func Example() {
	srv := versoritest.NewServer()
	defer srv.Close()

	body, _ := json.Marshal(map[string]any{
		"externalId": "acme-42",
		"primaryConnection": map[string]any{
			"name":      "acme-42 CRM",
			"variables": []any{},
			"credentials": map[string]any{"action": []any{map[string]any{
				"authSchemeConfig": map[string]any{"id": "01J0000000000000000000000A", "description": "", "schemeType": "api-key", "name": "X-API-Key", "in": "header"},
				"credential":       map[string]any{"name": "acme key", "type": "string", "data": map[string]any{"value": "s3cret"}},
			}}},
		},
	})
	req, _ := http.NewRequest("POST", srv.URL+"/hubs/"+srv.Seeded().HubID+"/users", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var user struct {
		ExternalID        string `json:"externalId"`
		PrimaryConnection struct {
			Credentials struct {
				Action []struct {
					Credential struct {
						Data map[string]string `json:"data"`
					} `json:"credential"`
				} `json:"action"`
			} `json:"credentials"`
		} `json:"primaryConnection"`
	}
	_ = json.NewDecoder(res.Body).Decode(&user)
	fmt.Println(res.StatusCode, user.ExternalID)
	fmt.Printf("value on read: %q\n", user.PrimaryConnection.Credentials.Action[0].Credential.Data["value"])
	// Output:
	// 201 acme-42
	// value on read: ""
}

// ExampleFake_FailNext makes the next two GetHub calls answer 503 with Retry-After; the
// SDK client retries them and the third attempt succeeds, as the request log shows.
func ExampleFake_FailNext() {
	srv := versoritest.NewServer()
	defer srv.Close()
	srv.FailNext(versoritest.OpGetHub, 2, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})

	hub, err := srv.Client().Hubs.Get(context.Background(), srv.Seeded().HubID)
	fmt.Println(hub.Name, err)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Method)
	}
	// Output:
	// Acme Embedded Hub <nil>
	// GetHub GET
	// GetHub GET
	// GetHub GET
}
