package platform

import (
	"cmp"
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
)

// SigningKeysService calls the Organisations API's signing-key operations. A
// signing key is an RSA key pair: Versori keeps the public half, and the
// private half signs the JWTs of the organisation and its end users (see
// versori.SigningKey). The Organisations API is reached at the Platform
// API's host under /api/organisations/v1, so these calls fail with a
// *versori.ValidationError when the client's base URL does not end in
// /api/v2; a call's own versori.WithBaseURL does not apply to them.
type SigningKeysService service

// The spec declares CreateSigningKey and ListSigningKeys as 204 with a body
// (erratum E12); the core takes any 2xx and decodes the body it has.

// Create makes a new signing key (CreateSigningKey). The result is the only
// place the private key is ever returned: keep it safe (SigningKeySet.SigningKey
// loads it). Should the call fail after reaching the server
// (versori.ErrMaybeProcessed), a key may exist whose private half is lost:
// list the keys and delete it.
func (s *SigningKeysService) Create(ctx context.Context, name string, opts ...versori.Option) (*SigningKeySet, error) {
	path, err := s.orgPath("/keys")
	r := versori.Request{Operation: "CreateSigningKey", Method: http.MethodPost, Path: path, Body: createSigningKey{name}}
	return send(ctx, s, cmp.Or(required("name", name), err), r, new(SigningKeySet), opts)
}

// List returns the organisation's signing keys, public halves only
// (ListSigningKeys). The API returns them all at once.
func (s *SigningKeysService) List(ctx context.Context, opts ...versori.Option) (*SigningKeyList, error) {
	path, err := s.orgPath("/keys")
	return send(ctx, s, err, versori.Request{Operation: "ListSigningKeys", Method: http.MethodGet, Path: path}, new(SigningKeyList), opts)
}

// All iterates over the organisation's signing keys. It makes one call, as
// List does: the API does not page them.
func (s *SigningKeysService) All(ctx context.Context, opts ...versori.Option) iter.Seq2[PublicKey, error] {
	return pager.All("ListSigningKeys", "", func(string) ([]PublicKey, string, error) {
		list, err := s.List(ctx, opts...)
		return pager.Items(list, err, (*SigningKeyList).items)
	})
}

// Delete deletes a signing key (DeleteSigningKey): every JWT it signed stops
// being accepted.
func (s *SigningKeysService) Delete(ctx context.Context, keyID string, opts ...versori.Option) error {
	id, err := segment("keyID", keyID)
	path, orgErr := s.orgPath("/keys/" + id)
	return exec(ctx, s, cmp.Or(err, orgErr), versori.Request{Operation: "DeleteSigningKey", Method: http.MethodDelete, Path: path}, nil, opts)
}

// GetPublicKey returns the public half of any organisation's signing key
// (GetPublicKey), with which a JWT it signed can be verified.
func (s *SigningKeysService) GetPublicKey(ctx context.Context, keyID string, opts ...versori.Option) (*PublicKey, error) {
	id, err := segment("keyID", keyID)
	return send(ctx, s, err, versori.Request{Operation: "GetPublicKey", Method: http.MethodGet, Path: "/keys/" + id}, new(PublicKey), opts)
}

// orgPath returns path below the organisation in the Organisations API.
func (s *SigningKeysService) orgPath(path string) (string, error) {
	org, err := segment("organisationID", clientOf(s).OrganisationID())
	return "/organisations/" + org + path, err
}

// SigningKeySet is a new signing key: the only time its private half is seen.
type SigningKeySet struct {
	ID         string         `json:"id" required:"true"` // the key ID, named in a JWT's issuer
	Name       string         `json:"name" required:"true"`
	PublicKey  string         `json:"publicKey" required:"true"`  // PEM
	PrivateKey versori.Secret `json:"privateKey" required:"true"` // PEM, PKCS #8
	CreatedAt  time.Time      `json:"createdAt" required:"true"`
}

// SigningKey loads the private key, to mint JWTs with.
func (k *SigningKeySet) SigningKey() (*versori.SigningKey, error) {
	return versori.ParseSigningKey(k.ID, []byte(k.PrivateKey.Reveal()))
}

// PublicKey is the public half of a signing key.
type PublicKey struct {
	ID        string    `json:"id" required:"true"`
	Name      string    `json:"name" required:"true"`
	PublicKey string    `json:"publicKey" required:"true"` // PEM
	CreatedAt time.Time `json:"createdAt" required:"true"`
}

// SigningKeyList is the result of SigningKeysService.List.
type SigningKeyList struct {
	Keys []PublicKey `json:"keys" required:"true"`
}

// items returns the keys, for All: the API returns them all, so there is no
// next page.
func (l *SigningKeyList) items() ([]PublicKey, string) { return l.Keys, "" }

// createSigningKey is the body of CreateSigningKey.
type createSigningKey struct {
	Name string `json:"name"`
}
