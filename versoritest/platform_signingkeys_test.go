package versoritest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"

	"github.com/versori-go/versori/internal/testutil"
)

func orgsPath(s *Server, rest string) string {
	return organisationsBasePath + "/organisations/" + s.Seeded().OrganisationID + rest
}

// The private half is returned by CreateSigningKey and never again; tokens it signs work,
// for either API, until the key is deleted.
func TestPlatformSigningKeys(t *testing.T) {
	s := newTestServer(t)
	created := call(t, s, "POST", orgsPath(s, "/keys"), map[string]any{"name": "backend"}).expect(t, http.StatusCreated).obj
	id := str(created["id"])
	if !isULID(id) || created["name"] != "backend" || str(created["createdAt"]) == "" {
		t.Fatalf("SigningKeySet = %v", created)
	}
	block, _ := pem.Decode([]byte(str(created["privateKey"])))
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("privateKey is not PKCS #8 PEM: %q", created["privateKey"])
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	priv := parsed.(*rsa.PrivateKey)
	pubBlock, _ := pem.Decode([]byte(str(created["publicKey"])))
	pub, err := x509.ParsePKIXPublicKey(pubBlock.Bytes)
	if err != nil || !priv.PublicKey.Equal(pub) {
		t.Fatalf("publicKey does not match privateKey: %v", err)
	}

	// Never again: not in the list, not from GetPublicKey (which needs no auth).
	list := call(t, s, "GET", orgsPath(s, "/keys"), nil).expect(t, http.StatusOK)
	if strings.Contains(string(list.raw), "PRIVATE") || len(arr(list.obj["keys"])) != 1 || dig(list.obj, "keys", 0, "id") != id {
		t.Errorf("ListSigningKeys = %s", list.raw)
	}
	public := callAuth(t, s, "", "GET", organisationsBasePath+"/keys/"+id, nil).expect(t, http.StatusOK)
	if strings.Contains(string(public.raw), "PRIVATE") || public.obj["publicKey"] != created["publicKey"] {
		t.Errorf("GetPublicKey = %s", public.raw)
	}

	// Its tokens authenticate both APIs (even to delete the key itself), until it is
	// deleted, and then neither.
	jwtAuth := "JWT " + signJWT(t, priv, id, "")
	pcallAs(t, s, jwtAuth, "GET", org(s, "/projects"), nil).expect(t, http.StatusOK)
	callAuth(t, s, jwtAuth, "GET", hubPath(s, ""), nil).expect(t, http.StatusOK)
	callAuth(t, s, jwtAuth, "DELETE", orgsPath(s, "/keys/"+id), nil).expect(t, http.StatusNoContent)
	pcallAs(t, s, jwtAuth, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, jwtAuth, "GET", hubPath(s, ""), nil).expectError(t, http.StatusUnauthorized)
	call(t, s, "DELETE", orgsPath(s, "/keys/"+id), nil).expectError(t, http.StatusNotFound)
	callAuth(t, s, "", "GET", organisationsBasePath+"/keys/"+id, nil).expectError(t, http.StatusNotFound)
	if keys := call(t, s, "GET", orgsPath(s, "/keys"), nil).obj["keys"]; len(arr(keys)) != 0 {
		t.Errorf("keys after delete = %v", keys)
	}
}

// Organisations API errors have its own shape: {code, message, cause}.
func TestPlatformOrganisationsErrors(t *testing.T) {
	s := newTestServer(t)
	r := call(t, s, "POST", orgsPath(s, "/keys"), map[string]any{"name": ""})
	r.expectError(t, http.StatusBadRequest)
	if _, has := r.obj["fields"]; has || !strings.Contains(str(r.obj["cause"]), "name") {
		t.Errorf("error = %s", r.raw)
	}
	call(t, s, "GET", organisationsBasePath+"/organisations/"+zeroID+"/keys", nil).expectError(t, http.StatusNotFound)
	call(t, s, "POST", orgsPath(s, "/keys"), "{").expectError(t, http.StatusBadRequest)
	callAuth(t, s, "", "GET", orgsPath(s, "/keys"), nil).expectError(t, http.StatusUnauthorized)
	// A registered key authenticates but is not an Organisations API key.
	key := testutil.RSAKey(0)
	s.RegisterSigningKey("registered", &key.PublicKey)
	if keys := call(t, s, "GET", orgsPath(s, "/keys"), nil).obj["keys"]; len(arr(keys)) != 0 {
		t.Errorf("keys = %v", keys)
	}
	call(t, s, "DELETE", orgsPath(s, "/keys/registered"), nil).expectError(t, http.StatusNotFound)
}
